import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

/**
 * JWT verification as AppSync does it for user pools and OIDC: an RS256 signature against the
 * issuer's JWKS, expiry, issuer; then the mode's own claim checks. Tokens are never trusted
 * decoded: an unsigned (`alg: none`), tampered or foreign-key token is refused.
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

/** Signature, expiry and issuer. */
export function verifyJwt(authorization: string, rules: { issuer: string; jwks: Jwks; now?: number }): JwtVerdict {
  const parts = stripBearer(authorization).split('.');
  if (parts.length !== 3) return { ok: false, message: UNPARSABLE_TOKEN };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: string; kid?: string };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: UNPARSABLE_TOKEN };
  }
  if (header.alg !== 'RS256') return { ok: false, message: NOT_AUTHORIZED };
  const jwk = rules.jwks.find((k) => k.kid === header.kid);
  if (!jwk) return { ok: false, message: NOT_AUTHORIZED };
  const valid = verify('RSA-SHA256', Buffer.from(`${headerPart}.${payloadPart}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signaturePart, 'base64url'));
  if (!valid) return { ok: false, message: NOT_AUTHORIZED };
  const now = Math.floor((rules.now ?? Date.now()) / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, message: EXPIRED_TOKEN };
  if (claims.iss !== rules.issuer) return { ok: false, message: NOT_AUTHORIZED };
  return { ok: true, claims };
}

/** A Cognito user-pool token: AppSync takes ID tokens (`aud`) and access tokens (`client_id`). */
export function verifyUserPoolToken(authorization: string, rules: UserPoolTokenRules): JwtVerdict {
  const verdict = verifyJwt(authorization, rules);
  if (!verdict.ok) return verdict;
  const { claims } = verdict;
  const clientId = claims.token_use === 'id' ? claims.aud : claims.token_use === 'access' ? claims.client_id : undefined;
  if (typeof clientId !== 'string') return { ok: false, message: NOT_AUTHORIZED };
  if (rules.appIdClientRegex !== undefined && !fullMatch(rules.appIdClientRegex, clientId)) return { ok: false, message: NOT_AUTHORIZED };
  return verdict;
}

/** An OIDC token: the client id pattern against `aud`/`azp`, and the iat/auth_time lifetimes. */
export function verifyOidcToken(authorization: string, rules: OidcTokenRules): JwtVerdict {
  const verdict = verifyJwt(authorization, rules);
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
