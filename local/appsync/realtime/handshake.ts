import type { IncomingMessage } from 'node:http';
import { sourceIpOf } from '../auth/authenticate.ts';
import { isPlainObject } from '../../support/objects.ts';

export interface Handshake {
  /** The header object the connection authenticates with. */
  authorization: Record<string, unknown>;
  /** Where it was found (docs/reference/appsync-realtime.md §1.3). */
  source: 'subprotocol' | 'query' | 'http';
  /** Whether the client offered the `graphql-ws` sub-protocol. */
  offersGraphqlWs: boolean;
  /**
   * The upgrade request's own headers (without WebSocket mechanics and cookies) plus the extra
   * query parameters, which Amplify ≥ 6.5.3 uses to carry custom headers: the base of
   * `ctx.request.headers` for subscription resolvers [INFER].
   */
  requestHeaders: Record<string, unknown>;
  sourceIp: string[];
}

const HEADER_PROTOCOL_PREFIX = 'header-';
const NOT_REQUEST_HEADERS = new Set(['connection', 'upgrade', 'cookie', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol']);

/**
 * Reads the handshake auth the three ways clients send it, in this order: a
 * `header-<base64url>` sub-protocol (Amplify ≥ 6.6), a raw `header=<base64>` query parameter
 * (Amplify 6.0–6.5, which puts standard base64 un-encoded in the URL, so `+` stays `+`), or
 * the upgrade request's HTTP headers. `payload` is ignored.
 */
export function readHandshake(req: IncomingMessage): Handshake {
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const query = rawQueryParameters(req.url ?? '');
  const custom: Record<string, string> = {};
  for (const [name, value] of query) {
    if (name !== 'header' && name !== 'payload') custom[name.toLowerCase()] = formDecode(value);
  }
  const requestHeaders: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(req.headers)) if (!NOT_REQUEST_HEADERS.has(name)) requestHeaders[name] = value;
  Object.assign(requestHeaders, custom);

  const subprotocol = protocols.find((p) => p.startsWith(HEADER_PROTOCOL_PREFIX));
  const queryHeader = query.find(([name]) => name === 'header')?.[1];
  let authorization: Record<string, unknown>;
  let source: Handshake['source'];
  if (subprotocol !== undefined) {
    authorization = decodeHeaderObject(subprotocol.slice(HEADER_PROTOCOL_PREFIX.length));
    source = 'subprotocol';
  } else if (queryHeader !== undefined) {
    authorization = decodeHeaderObject(percentDecode(queryHeader));
    source = 'query';
  } else {
    authorization = { ...req.headers };
    source = 'http';
  }
  return {
    authorization: lowerCaseKeys(authorization),
    source,
    offersGraphqlWs: protocols.includes('graphql-ws'),
    requestHeaders,
    sourceIp: sourceIpOf(req.headers, req.socket.remoteAddress),
  };
}

/**
 * base64 or base64url, padded or not (Node's base64 decoder reads both alphabets). Anything that
 * is not a JSON object — including the empty `header-` Amplify sends without credentials — is
 * no credentials at all, which the engine then refuses.
 */
function decodeHeaderObject(encoded: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    return isPlainObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** `name=value` pairs of the query string, undecoded: never URLSearchParams, which turns `+` into a space. */
function rawQueryParameters(url: string): [string, string][] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [formDecode(pair), ''] : [formDecode(pair.slice(0, eq)), pair.slice(eq + 1)];
    });
}

function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** application/x-www-form-urlencoded, as Amplify's URLSearchParams wrote the custom headers. */
function formDecode(text: string): string {
  return percentDecode(text.replaceAll('+', ' '));
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
