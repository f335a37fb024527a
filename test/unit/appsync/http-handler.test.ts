import { Agent, createServer, request, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../../local/appsync/auth/authenticate.ts';
import type { Executor } from '../../../local/appsync/graphql/execute.ts';
import { createGraphqlHttpHandler, DEFAULT_BODY_LIMITS } from '../../../local/appsync/http-handler.ts';

/**
 * `POST /graphql` against bad input, over real HTTP with raw node:http clients: every request
 * gets an HTTP answer in AppSync's error shape — an oversize body included, which the client
 * must be able to read rather than see its connection reset — and the server keeps serving.
 * The authenticator and executor are stand-ins: this tests the handler's HTTP side only.
 */

const LIMITS = { ...DEFAULT_BODY_LIMITS, timeoutMs: 400 };
const authenticate: Authenticator = async () => ({ ok: true, caller: { authType: 'API_KEY', identity: null } });
const execute: Executor['execute'] = async ({ query }) => ({ body: { data: { echo: query } }, responseHeaders: {} }) as Awaited<ReturnType<Executor['execute']>>;

let server: Server;
let port: number;
const failures: unknown[] = [];

beforeAll(async () => {
  const handle = createGraphqlHttpHandler(authenticate, execute, LIMITS);
  server = createServer((req, res) => void handle(req, res).catch((error: unknown) => failures.push(error)));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request; `body` is written in pieces of `chunkBytes` so that a large one streams. */
function send(options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer; agent?: Agent; chunkBytes?: number }): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path ?? '/graphql', headers: options.headers ?? {}, ...(options.agent && { agent: options.agent }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (!body) return void req.end();
    const step = options.chunkBytes ?? body.length;
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const more = req.write(body.subarray(offset, offset + step));
        offset += step;
        if (!more) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const errorOf = (answer: Answer) => (JSON.parse(answer.body) as { errors: { errorType: string; message: string }[] }).errors[0];
const query = (q = '{ ping }') => JSON.stringify({ query: q });

describe('an oversize body gets an answer, never a reset', () => {
  const twoMegabytes = JSON.stringify({ query: `{ ping }`, variables: { blob: 'x'.repeat(2 * 1024 * 1024) } });

  it('with Content-Length: 413 in AppSync error shape, and the kept-alive connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answer = await send({ headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(twoMegabytes) }, body: twoMegabytes, agent, chunkBytes: 64 * 1024 });
    expect(answer.status).toBe(413);
    expect(errorOf(answer)).toEqual({ errorType: 'BadRequestException', message: `The request body is larger than the ${LIMITS.maxBytes}-byte limit.` });
    const next = await send({ headers: { 'content-type': 'application/json' }, body: query(), agent });
    expect({ status: next.status, body: JSON.parse(next.body) }).toEqual({ status: 200, body: { data: { echo: '{ ping }' } } });
    agent.destroy();
  });

  it('chunked, without Content-Length: 413 once the bytes pass the limit', async () => {
    const answer = await send({ headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: twoMegabytes, chunkBytes: 16 * 1024 });
    expect({ status: answer.status, errorType: errorOf(answer)?.errorType }).toEqual({ status: 413, errorType: 'BadRequestException' });
  });

  it('a body of exactly the limit is read', async () => {
    const padding = LIMITS.maxBytes - Buffer.byteLength(JSON.stringify({ query: '{ ping }', pad: '' }));
    const body = JSON.stringify({ query: '{ ping }', pad: ' '.repeat(padding) });
    expect(Buffer.byteLength(body)).toBe(LIMITS.maxBytes);
    expect((await send({ headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
  });
});

describe('the answer', () => {
  it('carries the Content-Length of its UTF-8 bytes and is not chunked', async () => {
    const answer = await send({ headers: { 'content-type': 'application/json' }, body: query('{ pings: ping } # “ünïcode” €') });
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    expect(Buffer.byteLength(answer.body)).toBeGreaterThan(answer.body.length);
  });
});

describe('every other bad shape gets an AppSync-shaped error', () => {
  it.each([
    ['malformed JSON', 400, 'MalformedHttpRequestException', '{"query": '],
    ['an empty body', 400, 'MalformedHttpRequestException', ''],
    ['a batch (JSON array)', 400, 'MalformedHttpRequestException', `[${query()},${query()}]`],
    ['a JSON string', 400, 'MalformedHttpRequestException', '"{ ping }"'],
    ['JSON null', 400, 'MalformedHttpRequestException', 'null'],
    ['invalid UTF-8', 400, 'MalformedHttpRequestException', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ] as const)('%s → %i %s', async (_what, status, errorType, body) => {
    const answer = await send({ headers: { 'content-type': 'application/json' }, body });
    expect({ status: answer.status, errorType: errorOf(answer)?.errorType, contentType: answer.headers['content-type'] }).toEqual({ status, errorType, contentType: 'application/json; charset=UTF-8' });
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('%s (also with a query string) → 405', async (method) => {
    const answer = await send({ method, path: '/graphql?query=%7B%20ping%20%7D' });
    expect({ status: answer.status, errorType: errorOf(answer)?.errorType }).toEqual({ status: 405, errorType: 'MethodNotAllowedException' });
  });

  it('a body with another content type is still read as JSON (UNVERIFIED whether AppSync insists on application/json)', async () => {
    expect((await send({ headers: { 'content-type': 'text/plain' }, body: query() })).status).toBe(200);
  });

  it('a body that stops arriving (slowloris) gets 408 within the bound and the connection is closed', async () => {
    const answer = await new Promise<Answer & { closed: Promise<void> }>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'content-length': 1000 } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        const closed = new Promise<void>((resolve) => req.socket!.once('close', () => resolve()));
        res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body, closed }));
      });
      req.on('error', fail);
      req.write('{"query": "{ pi');
    });
    expect({ status: answer.status, connection: answer.headers.connection, error: errorOf(answer) }).toEqual({
      status: 408,
      connection: 'close',
      error: { errorType: 'BadRequestException', message: `The request body did not arrive within ${LIMITS.timeoutMs} ms.` },
    });
    // The server closes it (timeout plus a second's grace for the answer); the test's own timeout bounds the wait.
    await answer.closed;
  });

  it('a client that hangs up mid-body leaves nothing behind: the next request is served', async () => {
    await new Promise<void>((done) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-length': 1000 } });
      req.on('error', () => done());
      req.write('{"query":', () => req.destroy());
      req.on('close', () => done());
    });
    expect((await send({ headers: { 'content-type': 'application/json' }, body: query() })).status).toBe(200);
    expect(failures).toEqual([]);
  });
});
