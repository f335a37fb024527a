/**
 * The frames of AppSync's `graphql-ws` flavour (docs/reference/appsync-realtime.md §2), serialized with AppSync's key
 * order. Texts docs/reference/appsync-realtime.md marks as observed are used verbatim; the others say UNVERIFIED.
 */

export interface ClientFrame {
  type: string;
  id?: unknown;
  payload?: unknown;
}

export interface FrameError {
  errorType: string | null;
  message: string;
  [member: string]: unknown;
}

/** A client text frame as JSON with a string `type`, or undefined when it is not one. */
export function parseClientFrame(text: string): ClientFrame | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) return undefined;
  return typeof (frame as ClientFrame).type === 'string' ? (frame as ClientFrame) : undefined;
}

export const KEEP_ALIVE = '{"type":"ka"}';

export function connectionAck(connectionTimeoutMs: number): string {
  return JSON.stringify({ type: 'connection_ack', payload: { connectionTimeoutMs } });
}

/** Refused handshake (observed, amplify-flutter#2763): `errorCode` 401 makes Amplify stop retrying. */
export const CONNECTION_REFUSED = JSON.stringify({
  type: 'connection_error',
  payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }] },
});

export function startAck(id: string): string {
  return JSON.stringify({ type: 'start_ack', id });
}

/** Everything of a `data` frame before its payload: the payload JSON and `}` complete it. */
export function dataFramePrefix(id: string): string {
  return `{"type":"data","id":${JSON.stringify(id)},"payload":`;
}

export function complete(id: string): string {
  return JSON.stringify({ type: 'complete', id });
}

/**
 * An `error` frame. `id` undefined leaves the member out, as AppSync does for a frame it cannot
 * attribute (enisdenjo/graphql-ws#602); `errors` is normally a list (DOC-RT).
 */
export function errorFrame(id: string | undefined, errors: readonly object[] | object): string {
  return JSON.stringify(id === undefined ? { type: 'error', payload: { errors } } : { type: 'error', id, payload: { errors } });
}

export const ERRORS = {
  /**
   * Observed for frames AppSync cannot read as an operation: an unknown message type (no id,
   * enisdenjo/graphql-ws#602) or a `start` whose payload has no `data` (id "", StackOverflow
   * 74302964). For a readable query or mutation the operation keyword replaces "unknown"
   * [UNVERIFIED].
   */
  unsupported: (operation = 'unknown'): FrameError => ({ errorType: 'UnsupportedOperation', message: `${operation} not supported through the realtime channel` }),
  /** The errorType is recorded (DOC-RT, re:Post); the message text is UNVERIFIED. */
  duplicated: (id: string): FrameError => ({ errorType: 'DuplicatedOperationError', message: `Duplicated subscription id: ${id} is already in use on this connection` }),
  /**
   * Observed message; docs/reference/appsync-realtime.md §2.4 records `errors` as an object rather than a list for this
   * error (from Amplify iOS's parser; UNVERIFIED against the service), so it is sent that way.
   */
  maxSubscriptions: (limit: number): FrameError => ({ errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${limit} subscriptions reached` }),
  /** AppSync answers a `stop` for a subscription it does not hold with an error (amplify-flutter#2179); its text is UNVERIFIED. */
  unknownSubscription: (id: string): FrameError => ({ errorType: 'UnsupportedOperation', message: `No active subscription with id ${id} on this connection` }),
  /** Limit violations of enhanced filters: the errorType is UNVERIFIED, the messages are AppSync's where known. */
  badFilter: (message: string): FrameError => ({ errorType: 'BadRequestException', message }),
  /** Something failed on our side; never a crash. */
  internal: (message: string): FrameError => ({ errorType: 'InternalFailure', message }),
} as const;
