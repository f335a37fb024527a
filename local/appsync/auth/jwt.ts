import type { JsonWebKey } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/**
 * JWT verification as AppSync does it for user pools and OIDC: a signature against the issuer's
 * JWKS, expiry, issuer; then the mode's own claim checks. Tokens are never trusted decoded.
 *
 * The JOSE part is `jose`'s `jwtVerify`, not ours: it refuses what hand-written verifiers tend
 * to let through — `alg: none` and any algorithm not pinned here (an HS256 token keyed with the
 * public key), a `kid` the JWKS lacks, a `crit` header it does not understand, and it never
 * follows `jku`/`x5u`/embedded `jwk` headers to another key. We chose `jose` over AWS's
 * `aws-jwt-verify` because the latter's Cognito verifier insists on the
 * `https://cognito-idp.<region>.amazonaws.com/<pool>` issuer, which cognito-local's
 * `http://localhost:<port>/<pool>` is not, and OIDC needs the same core with other claim rules.
 */

export type Jwks = (JsonWebKey & { kid?: string })[];

export type JwtVerdict = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

export interface UserPoolTokenRules {
  issuer: string;
  jwks: Jwks;
  /** AppSync's AppIdClientRegex; absent = any client of the pool. */
  appIdClientRegex?: string;
  now?: number;
}

export interface OidcTokenRules {
  issuer: string;
  jwks: Jwks;
  /** OpenIDConnectConfig.ClientId: a regular expression the `aud` (or `azp`) must match. */
  clientId?: string;
  /** Milliseconds a token is valid after `iat`; 0 or absent = no limit. */
  iatTtlMs?: number;
  /** Milliseconds a token is valid after `auth_time`; 0 or absent = no limit. */
  authTtlMs?: number;
  now?: number;
}

export const UNPARSABLE_TOKEN = 'Unable to parse JWT token.';
export const EXPIRED_TOKEN = 'Token has expired.';
const NOT_AUTHORIZED = 'You are not authorized to make this call.';

/** Cognito and the OIDC providers AppSync supports sign with RSA SHA-256; nothing else is accepted. */
const ALGORITHMS = ['RS256'];

/** The claims of a JWT without checking anything: only to pick the mode by issuer. */
export function unverifiedClaims(authorization: string): Record<string, unknown> | undefined {
  const parts = stripBearer(authorization).split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One key set per JWKS read at start, so imported keys are reused across requests. */
const keySets = new WeakMap<Jwks, JWTVerifyGetKey>();

/**
 * The key a token's `kid` names. A token without `kid` may use only a key without one: jose
 * would otherwise try the issuer's keys regardless of their ids (Cognito always sets `kid`).
 */
function keySetOf(jwks: Jwks): JWTVerifyGetKey {
  let keySet = keySets.get(jwks);
  if (!keySet) {
    const named = createLocalJWKSet({ keys: jwks } as JSONWebKeySet);
    const unnamed = createLocalJWKSet({ keys: jwks.filter((k) => k.kid === undefined) } as JSONWebKeySet);
    keySet = (header, token) => (header.kid === undefined ? unnamed(header, token) : named(header, token));
    keySets.set(jwks, keySet);
  }
  return keySet;
}

/** Signature, expiry and issuer. */
export async function verifyJwt(authorization: string, rules: { issuer: string; jwks: Jwks; now?: number }): Promise<JwtVerdict> {
  const token = stripBearer(authorization);
  if (token.split('.').length !== 3) return { ok: false, message: UNPARSABLE_TOKEN };
  try {
    const { payload } = await jwtVerify(token, keySetOf(rules.jwks), {
      algorithms: ALGORITHMS,
      issuer: rules.issuer,
      requiredClaims: ['exp'],
      currentDate: new Date(rules.now ?? Date.now()),
    });
    return { ok: true, claims: payload as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: messageFor(error) };
  }
}

/** AppSync's message for each way a token fails: an expired (or exp-less) token says so; the rest are not authorized. */
function messageFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return EXPIRED_TOKEN;
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp') return EXPIRED_TOKEN;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return UNPARSABLE_TOKEN;
  return NOT_AUTHORIZED;
}

/** A Cognito user-pool token: AppSync takes ID tokens (`aud`) and access tokens (`client_id`). */
export async function verifyUserPoolToken(authorization: string, rules: UserPoolTokenRules): Promise<JwtVerdict> {
  const verdict = await verifyJwt(authorization, rules);
  if (!verdict.ok) return verdict;
  const { claims } = verdict;
  const clientId = claims.token_use === 'id' ? claims.aud : claims.token_use === 'access' ? claims.client_id : undefined;
  if (typeof clientId !== 'string') return { ok: false, message: NOT_AUTHORIZED };
  if (rules.appIdClientRegex !== undefined && !fullMatch(rules.appIdClientRegex, clientId)) return { ok: false, message: NOT_AUTHORIZED };
  return verdict;
}

/** An OIDC token: the client id pattern against `aud`/`azp`, and the iat/auth_time lifetimes. */
export async function verifyOidcToken(authorization: string, rules: OidcTokenRules): Promise<JwtVerdict> {
  const verdict = await verifyJwt(authorization, rules);
  if (!verdict.ok) return verdict;
  const { claims } = verdict;
  const now = rules.now ?? Date.now();
  if (rules.clientId !== undefined) {
    const audiences = [claims.aud, claims.azp].flat().filter((a): a is string => typeof a === 'string');
    if (!audiences.some((a) => fullMatch(rules.clientId!, a))) return { ok: false, message: NOT_AUTHORIZED };
  }
  if (rules.iatTtlMs && (typeof claims.iat !== 'number' || claims.iat * 1000 + rules.iatTtlMs <= now)) return { ok: false, message: EXPIRED_TOKEN };
  if (rules.authTtlMs && (typeof claims.auth_time !== 'number' || claims.auth_time * 1000 + rules.authTtlMs <= now)) return { ok: false, message: EXPIRED_TOKEN };
  return verdict;
}

/** `ctx.identity` of a user-pool caller, as AppSync fills it. */
export function userPoolIdentity(claims: Record<string, unknown>, sourceIp: string[], defaultAction: 'ALLOW' | 'DENY') {
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : null;
  return {
    sub: claims.sub,
    issuer: claims.iss,
    username: claims['cognito:username'] ?? claims.username,
    claims,
    sourceIp,
    defaultAuthStrategy: defaultAction,
    groups,
  };
}

/** `ctx.identity` of an OIDC caller. */
export function oidcIdentity(claims: Record<string, unknown>) {
  return { sub: claims.sub, issuer: claims.iss, claims };
}

function stripBearer(authorization: string): string {
  return authorization.replace(/^Bearer\s+/i, '');
}

function fullMatch(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}
