import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/hot-reload-app', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/**
 * A copy of the small CDK app of test/fixtures/hot-reload-app in a temporary folder, the way a
 * developer has it: cdk.json, the app, a schema, resolver files and a Lambda folder. Its
 * node_modules is this repository's (aws-cdk-lib), linked.
 */
export function copyHotReloadApp(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'hot-reload-')), 'app');
  cpSync(FIXTURE, dir, { recursive: true });
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Replaces `from` with `to` in a file of the app, as an editor saves it; fails if `from` is not there. */
export function editFile(appDir: string, file: string, from: string, to: string): void {
  const path = join(appDir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}
