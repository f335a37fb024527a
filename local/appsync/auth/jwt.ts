import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';

/**
 * Verifies a Cognito user-pool JWT as AppSync does: RS256 signature against the pool's
 * JWKS, expiry, issuer, `token_use` (AppSync takes ID and access tokens) and the app client
 * (`aud` of an ID token, `client_id` of an access token) against the API's client regex.
 */

export interface UserPoolTokenRules {
  issuer: string;
  jwks: (JsonWebKey & { kid?: string })[];
  /** AppSync's AppIdClientRegex; absent = any client of the pool. */
  appIdClientRegex?: string;
  now?: number;
}

export type JwtVerdict = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

export const UNPARSABLE_TOKEN = 'Unable to parse JWT token.';
export const EXPIRED_TOKEN = 'Token has expired.';
const NOT_AUTHORIZED = 'You are not authorized to make this call.';

export function verifyUserPoolToken(authorization: string, rules: UserPoolTokenRules): JwtVerdict {
  const token = authorization.replace(/^Bearer\s+/i, '');
  const parts = token.split('.');
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
  const clientId = claims.token_use === 'id' ? claims.aud : claims.token_use === 'access' ? claims.client_id : undefined;
  if (typeof clientId !== 'string') return { ok: false, message: NOT_AUTHORIZED };
  if (rules.appIdClientRegex !== undefined && !new RegExp(`^(?:${rules.appIdClientRegex})$`).test(clientId)) return { ok: false, message: NOT_AUTHORIZED };
  return { ok: true, claims };
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
