import { randomUUID } from 'node:crypto';
import type { LambdaInvoker } from '../datasources/types.ts';

/**
 * AppSync's AWS_LAMBDA authorization: the token (the `Authorization` header) goes to the
 * authorizer function with the request's context; its `{ isAuthorized, resolverContext,
 * deniedFields, ttlOverride }` answer decides. Answers are cached per token for the API's
 * AuthorizerResultTtlInSeconds (default 0: no caching, per the AppSync API reference) or the
 * function's `ttlOverride`.
 */

export interface LambdaAuthorizerConfig {
  functionArn: string;
  ttlSeconds: number;
  identityValidationExpression?: string;
}

export interface AuthorizerRequestContext {
  apiId: string;
  accountId: string;
  queryString: string;
  operationName?: string;
  variables: Record<string, unknown>;
  requestHeaders: Record<string, unknown>;
}

export type AuthorizerDecision =
  | { ok: true; resolverContext: Record<string, unknown>; deniedFields: string[] }
  | { ok: false; message: string };

/** AppSync's documented limits for authorizers. */
const MAX_TOKEN_LENGTH = 2048;
const AUTHORIZER_TIMEOUT_MS = 10_000;
const NOT_AUTHORIZED = 'You are not authorized to make this call.';

export function createLambdaAuthorizer(config: LambdaAuthorizerConfig, invoke: LambdaInvoker, log: (line: string) => void) {
  const cache = new Map<string, { decision: AuthorizerDecision; expires: number }>();
  const validation = config.identityValidationExpression ? new RegExp(`^(?:${config.identityValidationExpression})$`) : undefined;

  return async function authorize(token: string, context: AuthorizerRequestContext): Promise<AuthorizerDecision> {
    if (token.length > MAX_TOKEN_LENGTH || (validation && !validation.test(token))) return { ok: false, message: NOT_AUTHORIZED };
    const cached = cache.get(token);
    if (cached && cached.expires > Date.now()) return cached.decision;
    cache.delete(token);

    const event = {
      authorizationToken: token,
      requestContext: {
        apiId: context.apiId,
        accountId: context.accountId,
        requestId: randomUUID(),
        queryString: context.queryString,
        ...(context.operationName !== undefined && { operationName: context.operationName }),
        variables: context.variables,
      },
      requestHeaders: context.requestHeaders,
    };
    const result = await Promise.race([
      invoke(config.functionArn, event, { invocationType: 'RequestResponse' }),
      new Promise<{ ok: false; errorType: string; errorMessage: string }>((done) =>
        setTimeout(() => done({ ok: false, errorType: 'Timeout', errorMessage: `no answer within ${AUTHORIZER_TIMEOUT_MS / 1000} s` }), AUTHORIZER_TIMEOUT_MS).unref(),
      ),
    ]);
    if (!result.ok) {
      log(`Lambda authorizer ${config.functionArn} failed: ${result.errorType}: ${result.errorMessage}`);
      return { ok: false, message: NOT_AUTHORIZED };
    }
    const answer = (result.payload ?? {}) as { isAuthorized?: unknown; resolverContext?: unknown; deniedFields?: unknown; ttlOverride?: unknown };
    if (typeof answer.isAuthorized !== 'boolean') {
      log(`Lambda authorizer ${config.functionArn} answered without a boolean isAuthorized: ${JSON.stringify(answer).slice(0, 200)}`);
      return { ok: false, message: NOT_AUTHORIZED };
    }
    const decision: AuthorizerDecision = answer.isAuthorized
      ? {
          ok: true,
          resolverContext: answer.resolverContext !== null && typeof answer.resolverContext === 'object' ? (answer.resolverContext as Record<string, unknown>) : {},
          deniedFields: Array.isArray(answer.deniedFields) ? answer.deniedFields.map(String) : [],
        }
      : { ok: false, message: NOT_AUTHORIZED };
    const ttl = typeof answer.ttlOverride === 'number' ? answer.ttlOverride : config.ttlSeconds;
    if (ttl > 0) cache.set(token, { decision, expires: Date.now() + Math.min(ttl, 3600) * 1000 });
    return decision;
  };
}

export type LambdaAuthorizer = ReturnType<typeof createLambdaAuthorizer>;
