import type { AuthenticationType, GraphqlApiModel } from '../../assembly/model.ts';
import { acceptWellFormedSigV4 } from './sigv4-unverified.ts';

export type AuthOutcome =
  | { ok: true; authType: AuthenticationType; identity: unknown; groups?: string[] }
  | { ok: false; errorType: 'UnauthorizedException'; message: string };

export interface AuthRequest {
  /** Header names in lower case. */
  headers: Record<string, unknown>;
  /** The caller's address list as AppSync gives it in `identity.sourceIp`. */
  sourceIp: string[];
}

const NOT_PROVIDED = 'Valid authorization header not provided.';
const NOT_AUTHORIZED = 'You are not authorized to make this call.';

/**
 * Decides a request's auth mode from its headers as AppSync does (an `x-api-key`, a SigV4
 * `Authorization`, or a token `Authorization`) and verifies the credential for that mode.
 * A mode the API does not enable is refused.
 */
export function createAuthenticator(api: GraphqlApiModel, accountId: string) {
  const enabled = new Set<AuthenticationType>([api.defaultAuth.type, ...api.additionalAuth.map((p) => p.type)]);
  const refuse = (message: string): AuthOutcome => ({ ok: false, errorType: 'UnauthorizedException', message });

  return function authenticate({ headers, sourceIp }: AuthRequest): AuthOutcome {
    const apiKey = headers['x-api-key'];
    const authorization = headers.authorization;
    if (typeof apiKey === 'string' && enabled.has('API_KEY')) {
      const key = api.apiKeys.find((k) => k.value === apiKey);
      if (!key || key.expires * 1000 <= Date.now()) return refuse(NOT_AUTHORIZED);
      return { ok: true, authType: 'API_KEY', identity: null };
    }
    if (typeof authorization !== 'string' || authorization === '') return refuse(NOT_PROVIDED);
    if (authorization.startsWith('AWS4-HMAC-SHA256')) {
      if (!enabled.has('AWS_IAM')) return refuse(NOT_AUTHORIZED);
      const outcome = acceptWellFormedSigV4(headers, accountId, sourceIp);
      return outcome.ok ? { ok: true, authType: 'AWS_IAM', identity: outcome.identity } : refuse(NOT_AUTHORIZED);
    }
    // JWTs (user pools, OIDC) and Lambda authorizer tokens are verified by the auth work
    // that follows the skeleton; until then they are refused rather than trusted undecoded.
    return refuse(NOT_AUTHORIZED);
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** `identity.sourceIp`: the X-Forwarded-For list plus the peer, or just the peer. */
export function sourceIpOf(headers: Record<string, unknown>, peer: string | undefined): string[] {
  const forwarded = typeof headers['x-forwarded-for'] === 'string' ? headers['x-forwarded-for'].split(',').map((s) => s.trim()) : [];
  const address = (peer ?? '').replace(/^::ffff:/, '');
  return [...forwarded, address].filter(Boolean);
}
