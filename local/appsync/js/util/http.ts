// util.http (D-HTTP): copyHeaders and the custom response headers of a GraphQL response.
import { currentInvocation } from '../invocation-state.ts';
import { argumentError } from './arguments.ts';
import { isPlainObject } from '../../../support/objects.ts';

/** Headers copyHeaders leaves out (hop-by-hop and framing). */
const NOT_COPIED = new Set(['transfer-encoding', 'connection', 'host', 'expect', 'keep-alive', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'te', 'content-length']);
/** Names addResponseHeader(s) refuse on top of NOT_COPIED. */
const RESTRICTED = new Set([
  ...NOT_COPIED,
  'access-control-allow-credentials',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
  'content-type',
]);
/** Total size of all custom response headers (D-HTTP). */
const MAX_HEADER_BYTES = 4096;

export function copyHeaders(headers: unknown): Record<string, unknown> {
  if (headers === null || headers === undefined) return {};
  if (!isPlainObject(headers)) throw argumentError('util.http.copyHeaders', 'expected an object of headers');
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !NOT_COPIED.has(name.toLowerCase())));
}

function headerValue(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Adds one response header, or, when AppSync would refuse it, records a `ResponseHeaderError`
 * entry in the response's errors and ignores it (D-HTTP). The texts of those error messages
 * are UNVERIFIED.
 */
function addResponseHeader(name: unknown, value: unknown): void {
  const state = currentInvocation('util.http.addResponseHeader');
  const refuse = (message: string) => state.appendedErrors.push({ message, errorType: 'ResponseHeaderError', data: null, errorInfo: null });
  if (typeof name !== 'string' || name.trim() === '') return void refuse('Response header name must be a non-empty string.');
  const lower = name.toLowerCase();
  if (RESTRICTED.has(lower) || lower.startsWith('x-amzn-') || lower.startsWith('x-amz-')) return void refuse(`Response header name '${name}' is restricted and cannot be set.`);
  if (value === null || value === undefined) return void refuse(`Response header '${name}' must have a non-null value.`);
  const text = headerValue(value);
  const others = Object.entries(state.responseHeaders).filter(([n]) => n.toLowerCase() !== lower);
  const size = others.reduce((sum, [n, v]) => sum + Buffer.byteLength(n) + Buffer.byteLength(v), 0) + Buffer.byteLength(name) + Buffer.byteLength(text);
  if (size > MAX_HEADER_BYTES) return void refuse(`Response header '${name}' was not added: custom response headers may total at most ${MAX_HEADER_BYTES} bytes.`);
  // The last definition of a header wins, whatever the case of its name.
  for (const n of Object.keys(state.responseHeaders)) if (n.toLowerCase() === lower) delete state.responseHeaders[n];
  state.responseHeaders[name] = text;
}

export function createHttpUtils() {
  return {
    copyHeaders: (headers: unknown) => copyHeaders(headers),
    addResponseHeader: (name: unknown, value: unknown) => addResponseHeader(name, value),
    addResponseHeaders: (headers: unknown) => {
      if (!isPlainObject(headers)) throw argumentError('util.http.addResponseHeaders', 'expected an object of header names and values');
      for (const [name, value] of Object.entries(headers)) addResponseHeader(name, value);
    },
  };
}
