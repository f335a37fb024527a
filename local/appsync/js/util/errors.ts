// util.error / util.appendError / util.unauthorized / util.authType (D-UTIL, docs/reference/appsync-js-runtime.md §9).
import { currentInvocation, type InvocationState } from '../invocation-state.ts';
import { jsonClone } from '../json.ts';
import { UnauthorizedSignal, UtilErrorSignal } from '../signals.ts';
import type { AppSyncFieldError, AuthType } from '../types.ts';

/**
 * AppSync ignores util.error when its message or error type is not a string:
 * `util.error(25)`, `util.error(true)`, `util.error("abc", 25)` do nothing and the handler goes
 * on (docs/reference/appsync-js-runtime.md §9.6, I384: an open bug, VTL-like overload resolution). We reproduce that, and
 * say so in the logs. null/undefined for the optional arguments are fine.
 * UNVERIFIED: that util.appendError behaves the same way; it shares util.error's overloads.
 */
function ignoredCall(member: string, state: InvocationState, message: unknown, errorType: unknown): boolean {
  const badMessage = typeof message !== 'string';
  const badType = errorType !== undefined && errorType !== null && typeof errorType !== 'string';
  if (!badMessage && !badType) return false;
  const what = badMessage ? `its message is ${typeof message === 'object' ? (message === null ? 'null' : 'an object') : `a ${typeof message}`}` : `its error type is a ${typeof errorType}`;
  state.logs.push(`WARN ${member} was ignored because ${what}, not a string: AppSync skips such a call and the handler continues (docs/reference/appsync-js-runtime.md §9.6)`);
  return true;
}

function fieldError(message: string, errorType: unknown, data: unknown, errorInfo: unknown): AppSyncFieldError {
  return {
    message,
    errorType: typeof errorType === 'string' ? errorType : null,
    data: data === undefined ? null : jsonClone(data),
    errorInfo: errorInfo === undefined ? null : jsonClone(errorInfo),
  };
}

export function utilError(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void {
  const state = currentInvocation('util.error');
  if (ignoredCall('util.error', state, message, errorType)) return;
  throw new UtilErrorSignal(fieldError(message as string, errorType, data, errorInfo));
}

export function appendError(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): void {
  const state = currentInvocation('util.appendError');
  if (ignoredCall('util.appendError', state, message, errorType)) return;
  state.appendedErrors.push(fieldError(message as string, errorType, data, errorInfo));
}

export function unauthorized(): never {
  currentInvocation('util.unauthorized');
  throw new UnauthorizedSignal();
}

const AUTH_TYPE_NAMES: Record<AuthType, string> = {
  API_KEY: 'API Key Authorization',
  AWS_IAM: 'IAM Authorization',
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  // Undocumented (UNVERIFIED in docs/reference/appsync-js-runtime.md); "Lambda Authorization" per the EvaluateCode recordings of
  // localstack/appsync-utils `__tests__/__snapshots__/authType.test.js.snap`.
  AWS_LAMBDA: 'Lambda Authorization',
};

export function authTypeName(authType: AuthType): string {
  return AUTH_TYPE_NAMES[authType];
}

export function authType(): string {
  const state = currentInvocation('util.authType');
  return AUTH_TYPE_NAMES[state.authType ?? 'API_KEY'];
}

/**
 * The auth mode EvaluateCode reads off a mock `ctx.identity`, as recorded against AWS
 * (localstack/appsync-utils authType snapshots): an IAM identity needs `userArn` and a
 * `sourceIp` list; a user pool identity `sourceIp`, `defaultAuthStrategy`, `sub`, `issuer` and
 * `username`; an OIDC identity exactly `sub`, `issuer` and `claims`; `resolverContext` or an
 * empty object means a Lambda authorizer; anything else an API key.
 */
export function authTypeOfIdentity(identity: unknown): AuthType {
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity)) return 'API_KEY';
  const id = identity as Record<string, unknown>;
  const keys = Object.keys(id);
  if (keys.length === 0 || Object.hasOwn(id, 'resolverContext')) return 'AWS_LAMBDA';
  if (typeof id.userArn === 'string' && Array.isArray(id.sourceIp)) return 'AWS_IAM';
  if (Array.isArray(id.sourceIp) && typeof id.defaultAuthStrategy === 'string' && 'sub' in id && 'issuer' in id && 'username' in id) return 'AMAZON_COGNITO_USER_POOLS';
  if (keys.length === 3 && 'sub' in id && 'issuer' in id && 'claims' in id) return 'OPENID_CONNECT';
  return 'API_KEY';
}
