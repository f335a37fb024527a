import { createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserPoolModel } from '../../../local/assembly/model.ts';
import { verifyUserPoolToken, userPoolIdentity } from '../../../local/appsync/auth/jwt.ts';
import { cognitoClient, provisionUserPools, seedUsers } from '../../../local/cognito/provision.ts';
import { startCognitoLocal, type CognitoLocal } from '../../../local/cognito/server.ts';

const pool = (logicalId: string): UserPoolModel => ({
  stackName: 'Test',
  logicalId,
  userPoolId: 'ignored',
  properties: {},
  clients: [{ logicalId: `${logicalId}Client`, clientId: 'ignored', properties: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } }],
  groups: [{ logicalId: 'Traders', name: 'traders', properties: {} }],
});

let cognito: CognitoLocal;
let ids: Awaited<ReturnType<typeof provisionUserPools>>;
let jwks: JsonWebKey[];
let tokens: { IdToken?: string; AccessToken?: string };
const issuer = (poolLogicalId: string) => `${cognito.issuerBase}/${ids.pools[poolLogicalId]}`;

beforeAll(async () => {
  cognito = await startCognitoLocal({ dir: mkdtempSync(join(tmpdir(), 'cognito-test-')) });
  const client = cognitoClient(cognito.endpoint, 'us-east-1');
  ids = await provisionUserPools(client, [pool('Main'), pool('Other')], () => {});
  await seedUsers(client, ids.pools.Main!, [{ username: 'tina', password: 'Trader-pass-1', groups: ['traders'] }], () => {});
  const auth = await client.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: ids.clients.MainClient, AuthParameters: { USERNAME: 'tina', PASSWORD: 'Trader-pass-1' } }),
  );
  tokens = auth.AuthenticationResult!;
  jwks = ((await (await fetch(`${issuer('Main')}/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] }).keys;
  client.destroy();
});
afterAll(() => cognito?.stop());

/** A token signed with cognito-local's own key: valid signature, claims of our choosing. */
function forge(claims: Record<string, unknown>, alg = 'RS256'): string {
  const { jwk } = JSON.parse(readFileSync(join(createRequire(import.meta.url).resolve('cognito-local/package.json'), '..', 'lib/keys/cognitoLocal.private.json'), 'utf8'));
  const header = Buffer.from(JSON.stringify({ alg, kid: 'CognitoLocal' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = alg === 'none' ? '' : sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPrivateKey({ key: jwk, format: 'jwk' })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

describe('user-pool tokens from the local Cognito, verified as AppSync verifies them', () => {
  it('accepts the ID and the access token of a signed-in user, with groups and username', async () => {
    const rules = { issuer: issuer('Main'), jwks };
    const id = await verifyUserPoolToken(tokens.IdToken!, rules);
    const access = await verifyUserPoolToken(`Bearer ${tokens.AccessToken!}`, rules);
    expect(id.ok && access.ok).toBe(true);
    const identity = userPoolIdentity((id as { claims: Record<string, unknown> }).claims, ['127.0.0.1'], 'ALLOW');
    expect(identity).toMatchObject({ username: 'tina', groups: ['traders'], issuer: issuer('Main'), sourceIp: ['127.0.0.1'], defaultAuthStrategy: 'ALLOW' });
  });

  it('refuses a token whose payload was tampered with', async () => {
    const [header, payload, signature] = tokens.IdToken!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admins'] })).toString('base64url')}.${signature}`;
    expect(await verifyUserPoolToken(tampered, { issuer: issuer('Main'), jwks })).toEqual({ ok: false, message: 'You are not authorized to make this call.' });
  });

  it('refuses alg none, an expired token, another pool and a client outside the regex', async () => {
    const claims = JSON.parse(Buffer.from(tokens.IdToken!.split('.')[1]!, 'base64url').toString());
    const rules = { issuer: issuer('Main'), jwks };
    expect((await verifyUserPoolToken(forge(claims, 'none'), rules)).ok).toBe(false);
    expect(await verifyUserPoolToken(forge({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 }), rules)).toEqual({ ok: false, message: 'Token has expired.' });
    expect((await verifyUserPoolToken(forge({ ...claims, iss: issuer('Other') }), rules)).ok).toBe(false);
    expect((await verifyUserPoolToken(tokens.IdToken!, { ...rules, appIdClientRegex: ids.clients.OtherClient! })).ok).toBe(false);
    expect((await verifyUserPoolToken(forge({ ...claims, token_use: 'refresh' }), rules)).ok).toBe(false);
  });

  it('says a garbled token cannot be parsed', async () => {
    expect(await verifyUserPoolToken('not-a-jwt', { issuer: issuer('Main'), jwks })).toEqual({ ok: false, message: 'Unable to parse JWT token.' });
  });

  it('reuses pools and clients by name on a second provisioning', async () => {
    const client = cognitoClient(cognito.endpoint, 'us-east-1');
    expect(await provisionUserPools(client, [pool('Main'), pool('Other')], () => {})).toEqual(ids);
    client.destroy();
  });
});

describe('starting cognito-local', () => {
  it('says when it is slow to start, and gives up at the limit with what it printed', async () => {
    // Far less than cognito-local needs to start: 0.63–0.85 s measured on an idle 2-core VM.
    const lines: string[] = [];
    const starting = startCognitoLocal({ dir: mkdtempSync(join(tmpdir(), 'cognito-slow-')), log: (line) => lines.push(line), startupWait: { slowMs: 20, limitMs: 100 } });
    await expect(starting).rejects.toThrow(/^cognito-local did not start within 0\.1 s:/);
    expect(lines).toEqual([expect.stringMatching(/^cognito-local: not started on port \d+ after 0\.02 s \(is the machine busy\?\); waiting up to 0\.1 s$/)]);
  });
});
