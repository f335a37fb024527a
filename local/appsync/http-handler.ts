import type { IncomingMessage, ServerResponse } from 'node:http';
import { sourceIpOf, type Authenticator } from './auth/authenticate.ts';
import type { Executor } from './graphql/execute.ts';

/** AppSync refuses request bodies over 1 MB [UNVERIFIED exact limit for JSON bodies]. */
const MAX_BODY_BYTES = 1024 * 1024;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,x-api-key,x-amz-date,x-amz-security-token,x-amz-user-agent,x-amz-content-sha256',
  'access-control-allow-methods': 'POST,OPTIONS',
  'access-control-max-age': '86400',
};

/** `POST /graphql`: authenticate, execute, answer in AppSync's response shapes. */
export function createGraphqlHttpHandler(authenticate: Authenticator, execute: Executor['execute']) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(200, CORS_HEADERS).end();
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, { errors: [{ errorType: 'MethodNotAllowedException', message: `${req.method} is not supported on /graphql; send a POST` }] });
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      send(res, 413, { errors: [{ errorType: 'BadRequestException', message: (error as Error).message }] });
      return;
    }
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
    const { cookie: _cookie, ...visibleHeaders } = headers; // AppSync never exposes the cookie header to resolvers
    const { body: response, responseHeaders } = await execute({
      query: body.query,
      variables: body.variables,
      operationName: body.operationName,
      caller: auth.caller,
      headers: visibleHeaders,
    });
    send(res, 200, response, responseHeaders);
  };
}

function send(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { ...extraHeaders, 'content-type': 'application/json; charset=UTF-8', ...CORS_HEADERS });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        fail(new Error(`The request body is larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
