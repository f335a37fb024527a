import { createHmac, generateKeyPairSync, sign, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GraphqlApiModel } from '../../../local/assembly/model.ts';
import { createAuthenticator } from '../../../local/appsync/auth/authenticate.ts';

/**
 * How the authenticator picks the mode of a request and verifies it, with keys made in the
 * test: OpenID Connect tokens (issuer, signature, client id, iat/auth_time lifetimes) and the
 * routing of tokens between user pools, OIDC and a Lambda authorizer by issuer.
 */

const ISSUER = 'https://id.example.com';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = [{ ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid: 'k1' }];
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

function token(claims: Record<string, unknown>, key = privateKey, kid = 'k1'): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key).toString('base64url')}`;
}

/** A token with a header of our choosing, signed RS256 with `key` or HS256 with the bytes of `hmacSecret`. */
function tokenWithHeader(header: Record<string, unknown>, claims: Record<string, unknown>, signing: { key?: typeof privateKey; hmacSecret?: string } = { key: privateKey }): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = signing.hmacSecret !== undefined ? createHmac('sha256', signing.hmacSecret).update(input).digest() : sign('RSA-SHA256', Buffer.from(input), signing.key!);
  return `${input}.${signature.toString('base64url')}`;
}
const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
const otherJwk = { ...(other.publicKey.export({ format: 'jwk' }) as JsonWebKey), kid: 'k1' };

const now = Math.floor(Date.now() / 1000);
const claims = { iss: ISSUER, sub: 'u-1', aud: 'web-client', iat: now - 10, auth_time: now - 10, exp: now + 600 };

function api(types: GraphqlApiModel['defaultAuth']['type'][]): GraphqlApiModel {
  const [first, ...rest] = types;
  return { apiId: 'api1', name: 'test', defaultAuth: { type: first! }, additionalAuth: rest.map((type) => ({ type })), apiKeys: [] } as unknown as GraphqlApiModel;
}

function authenticator(types: GraphqlApiModel['defaultAuth']['type'][], lambdaAuthorizer?: (token: string) => Promise<{ ok: true; resolverContext: Record<string, unknown>; deniedFields: string[] } | { ok: false; message: string }>) {
  return createAuthenticator({
    api: api(types),
    accountId: '000000000000',
    region: 'us-east-1',
    credentials: [],
    roles: [],
    userPools: [],
    oidcProviders: [{ issuer: ISSUER, jwks, clientId: 'web-.*', iatTtlMs: 3_600_000, authTtlMs: 3_600_000 }],
    ...(lambdaAuthorizer && { lambdaAuthorizer }),
    log: () => {},
  });
}

const request = (authorization: string) => ({ headers: { authorization }, sourceIp: ['127.0.0.1'], signed: { method: 'POST', path: '/graphql', query: '', body: '{}' } });

describe('OPENID_CONNECT', () => {
  const authenticate = authenticator(['OPENID_CONNECT']);

  it('accepts a token of the issuer signed with its key, for a matching client, as ctx.identity {sub, issuer, claims}', async () => {
    expect(await authenticate(request(token(claims)))).toEqual({ ok: true, caller: { authType: 'OPENID_CONNECT', identity: { sub: 'u-1', issuer: ISSUER, claims } } });
  });

  it.each([
    ['signed with another key', token(claims, other.privateKey)],
    ['for another client', token({ ...claims, aud: 'mobile-client' })],
    ['unsigned (alg none)', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`],
    ['expired', token({ ...claims, exp: now - 1 })],
    ['issued longer ago than the API allows', token({ ...claims, iat: now - 7200 })],
    ['authenticated longer ago than the API allows', token({ ...claims, auth_time: now - 7200 })],
    ['whose kid names no key of the issuer', tokenWithHeader({ alg: 'RS256', kid: 'unknown-kid' }, claims)],
    ['without a kid', tokenWithHeader({ alg: 'RS256' }, claims)],
    ['with a crit header the verifier does not understand', tokenWithHeader({ alg: 'RS256', kid: 'k1', crit: ['x-policy'], 'x-policy': 'ignore-expiry' }, claims)],
    ['signed with another key that a jku header points at', tokenWithHeader({ alg: 'RS256', kid: 'k1', jku: 'https://attacker.example.com/jwks.json' }, claims, { key: other.privateKey })],
    ['signed with another key that an x5u header points at', tokenWithHeader({ alg: 'RS256', kid: 'k1', x5u: 'https://attacker.example.com/cert.pem' }, claims, { key: other.privateKey })],
    ['signed with another key embedded as a jwk header', tokenWithHeader({ alg: 'RS256', kid: 'k1', jwk: otherJwk }, claims, { key: other.privateKey })],
    ['HS256 keyed with the issuer public key (algorithm confusion)', tokenWithHeader({ alg: 'HS256', kid: 'k1' }, claims, { hmacSecret: publicPem })],
    ['HS256 keyed with the issuer public key as JSON', tokenWithHeader({ alg: 'HS256', kid: 'k1' }, claims, { hmacSecret: JSON.stringify(jwks[0]) })],
    ['without an expiry', token({ ...claims, exp: undefined })],
  ])('refuses a token %s', async (_what, forged) => {
    expect(await authenticate(request(forged))).toMatchObject({ ok: false, errorType: 'UnauthorizedException' });
  });

  it('refuses a token of an issuer the API does not name, when no other mode takes it', async () => {
    expect(await authenticate(request(token({ ...claims, iss: 'https://elsewhere.example.com' })))).toEqual({ ok: false, errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' });
  });

  it('says so when no credential is given at all', async () => {
    expect(await authenticate({ ...request(''), headers: {} })).toEqual({ ok: false, errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' });
  });
});

describe('a token that no issuer of the API claims goes to the Lambda authorizer', () => {
  it('when AWS_LAMBDA is enabled, with its resolverContext and deniedFields', async () => {
    const seen: string[] = [];
    const authenticate = authenticator(['OPENID_CONNECT', 'AWS_LAMBDA'], async (t) => (seen.push(t), { ok: true, resolverContext: { tenant: 't1' }, deniedFields: ['Query.secret'] }));
    const verdict = await authenticate(request('custom-token'));
    expect(verdict).toEqual({ ok: true, caller: { authType: 'AWS_LAMBDA', identity: { resolverContext: { tenant: 't1' } }, deniedFields: new Set(['Query.secret']) } });
    expect(await authenticate(request(token(claims)))).toMatchObject({ ok: true, caller: { authType: 'OPENID_CONNECT' } });
    expect(seen).toEqual(['custom-token']);
  });
});
