import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoleModel } from '../assembly/model.ts';

/** A local long-term access key that stands for one IAM role of the template. */
export interface LocalCredential {
  /** The role's logical id, e.g. `PricePublisherRole1A2B3C`. */
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  roleArn: string;
  roleName: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function accessKeyId(): string {
  return `AKIA${[...randomBytes(16)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('')}`;
}

/**
 * One access key per IAM role of the template, created on first start and kept in the
 * state folder (when persistent), so that a partner's configured key keeps working.
 */
export function ensureLocalCredentials(stateDir: string, roles: RoleModel[], persistent: boolean): LocalCredential[] {
  const file = join(stateDir, 'iam-credentials.json');
  const known: LocalCredential[] = persistent && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LocalCredential[]) : [];
  const credentials = roles.map((role) => {
    const existing = known.find((c) => c.roleArn === role.arn);
    return (
      existing ?? {
        name: role.logicalId,
        accessKeyId: accessKeyId(),
        secretAccessKey: randomBytes(30).toString('base64'),
        roleArn: role.arn,
        roleName: role.roleName,
      }
    );
  });
  if (persistent) writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
