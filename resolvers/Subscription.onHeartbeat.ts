import type { NONERequest } from '@aws-appsync/utils';

/** Subscription.onHeartbeat on the NONE data source: no arguments, so every subscriber gets every heartbeat. */
export function request(): NONERequest {
  return { payload: null };
}

export function response() {
  return null;
}
