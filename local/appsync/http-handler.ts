import type { IncomingMessage, ServerResponse } from 'node:http';
import { AnswerBatch } from '../http/answer-batch.ts';
import { sourceIpOf, type Authenticator } from './auth/authenticate.ts';
import type { Executor } from './graphql/execute.ts';

/** The body limits of `POST /graphql`; docs/appsync-limits.md says what AWS documents of them (little). */
export interface BodyLimits {
  /** Largest body accepted: 1 MB [UNVERIFIED as AppSync's exact limit; see docs/appsync-limits.md]. */
  maxBytes: number;
  /** How long a body may take to arrive in full before the request is answered 408 and closed. */
  timeoutMs: number;
  /** How much of a refused oversize body is still read and discarded, so the client reads the answer rather than a reset. */
  maxDrainBytes: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { maxBytes: 1024 * 1024, timeoutMs: 10_000, maxDrainBytes: 64 * 1024 * 1024 };

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,x-api-key,x-amz-date,x-amz-security-token,x-amz-user-agent,x-amz-content-sha256',
  'access-control-allow-methods': 'POST,OPTIONS',
  'access-control-max-age': '86400',
};

/** `POST /graphql`: authenticate, execute, answer in AppSync's response shapes. */
export function createGraphqlHttpHandler(authenticate: Authenticator, execute: Executor['execute'], limits: BodyLimits = DEFAULT_BODY_LIMITS) {
  const answers = new AnswerBatch();
  const send = (res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}) => sendJson(answers, res, status, body, extraHeaders);
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(200, CORS_HEADERS).end();
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, { errors: [{ errorType: 'MethodNotAllowedException', message: `${req.method} is not supported on /graphql; send a POST` }] });
      return;
    }
    const read = await readBody(req, limits);
    if (read.kind === 'gone') return;
    if (read.kind === 'refused') {
      send(res, read.status, { errors: [{ errorType: read.errorType, message: read.message }] }, read.close ? { connection: 'close' } : {});
      return;
    }
    const raw = read.text;
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      send(res, 400, { errors: [{ errorType: 'MalformedHttpRequestException', message: 'The request body is not a JSON object with a "query" string.' }] });
      return;
    }
    const headers = req.headers as Record<string, string | string[]>;
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const auth = await authenticate({
      headers,
      sourceIp: sourceIpOf(headers, req.socket.remoteAddress),
      signed: { method: req.method, path, query, body: raw },
      graphql: {
        query: typeof body.query === 'string' ? body.query : '',
        ...(typeof body.operationName === 'string' && { operationName: body.operationName }),
        variables: body.variables !== null && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {},
      },
    });
    if (!auth.ok) {
      send(res, 401, { errors: [{ errorType: auth.errorType, message: auth.message }] });
      return;
    }
    // Resolvers see the headers through visibleHeaders (js/execute/context.ts), which leaves out
    // the cookie header as AppSync does.
    const { body: response, responseHeaders } = await execute({
      query: body.query,
      variables: body.variables,
      operationName: body.operationName,
      caller: auth.caller,
      headers,
    });
    send(res, 200, response, responseHeaders);
  };
}

// With its length known, Node writes the head and body in one write, without chunked framing (a
// writev of three buffers and a terminating chunk per response). Both are valid HTTP/1.1; which
// framing AppSync's own answers use is not recorded in docs/reference/ (UNVERIFIED).
function sendJson(answers: AnswerBatch, res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...extraHeaders, 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...CORS_HEADERS });
  answers.end(res, text);
}

type BodyRead =
  | { kind: 'read'; text: string }
  /** Answered with AppSync's error shape; `close` when the connection cannot be reused (the body never finished). */
  | { kind: 'refused'; status: 408 | 413; errorType: 'BadRequestException'; message: string; close: boolean }
  /** The client went away: nobody to answer. */
  | { kind: 'gone' };

/**
 * The body, or why not. An oversize body is refused as soon as it is known to be too large (from
 * Content-Length, or once the bytes pass the limit), and the rest of it is read and thrown away
 * up to `maxDrainBytes`: destroying the request mid-upload makes the kernel reset the connection
 * and the client never sees the answer. A body that does not arrive within `timeoutMs` (a
 * slowloris) gets 408 and the connection is closed.
 */
function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  return new Promise((settle) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: BodyRead) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      settle(outcome);
    };
    const tooLarge = (): BodyRead => ({ kind: 'refused', status: 413, errorType: 'BadRequestException', message: `The request body is larger than the ${limits.maxBytes}-byte limit.`, close: false });
    // Bounds the whole body, a refused one being drained included.
    const timer = setTimeout(() => {
      finish({ kind: 'refused', status: 408, errorType: 'BadRequestException', message: `The request body did not arrive within ${limits.timeoutMs} ms.`, close: true });
      // The body never finished, so the connection cannot carry another request; give the answer a moment to leave.
      setTimeout(() => req.socket?.destroy(), 1_000).unref();
    }, limits.timeoutMs);
    timer.unref();
    const done = () => clearTimeout(timer);

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) finish(tooLarge());
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (settled) {
        if (size > limits.maxBytes + limits.maxDrainBytes) req.socket?.destroy();
        return;
      }
      if (size > limits.maxBytes) return finish(tooLarge());
      chunks.push(chunk);
    });
    req.on('end', () => {
      done();
      finish({ kind: 'read', text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', () => finish({ kind: 'gone' }));
    req.on('close', () => {
      done();
      finish({ kind: 'gone' });
    });
  });
}
