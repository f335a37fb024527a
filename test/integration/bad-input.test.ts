import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, postGraphql } from '../support/callers.ts';
import { startTestRuntime } from './test-runtime.ts';

/**
 * The whole runtime (its one port for http and https) against requests of bad shape, from raw
 * clients: each gets an HTTP answer it can read — a 2 MB body too, which used to reset the
 * connection — and afterwards the server still answers a good query.
 */

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let url: URL;
let key: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  url = new URL(runtime.apis[0]!.graphqlUrl);
  key = runtime.apis[0]!.model.apiKeys[0]!.value;
});
afterAll(() => runtime?.stop());

/** Sends the whole body first and reads the answer afterwards, as curl does. */
function post(secure: boolean, headers: OutgoingHttpHeaders, body: Buffer | string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const send = secure ? httpsRequest : httpRequest;
    const req = send({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done({ status: res.statusCode!, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

const stillServes = async () => {
  const { status, body } = await postGraphql(url.href, apiKey(key), '{ events { items { id } } }');
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
};

describe('bad input to the running runtime', () => {
  const twoMegabytes = JSON.stringify({ query: '{ events { items { id } } }', variables: { blob: 'x'.repeat(2 * 1024 * 1024) } });

  it.each([
    ['http', false],
    ['https', true],
  ])('a 2 MB body over %s gets 413 in AppSync error shape, read in full by the client', async (_scheme, secure) => {
    const answer = await post(secure, { 'content-type': 'application/json', 'x-api-key': key, 'content-length': Buffer.byteLength(twoMegabytes) }, twoMegabytes);
    expect({ status: answer.status, body: JSON.parse(answer.body) }).toEqual({
      status: 413,
      body: { errors: [{ errorType: 'BadRequestException', message: 'The request body is larger than the 1048576-byte limit.' }] },
    });
    await stillServes();
  });

  it('headers over Node’s 16 KB limit get 431, not a dropped connection', async () => {
    const answer = await post(false, { 'content-type': 'application/json', 'x-api-key': key, 'x-padding': 'p'.repeat(20 * 1024) }, '{}');
    expect(answer.status).toBe(431);
    await stillServes();
  });

  it('bytes that are not HTTP get 400', async () => {
    const answer = await new Promise<string>((done, fail) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) });
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => done(text));
      socket.on('error', fail);
      socket.write('NOT HTTP AT ALL\r\n\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await stillServes();
  });

  it('malformed JSON, a batch and a GET each get their AppSync-shaped error, and the server serves on', async () => {
    const malformed = await post(false, { 'content-type': 'application/json', 'x-api-key': key }, '{"query":');
    const batch = await post(false, { 'content-type': 'application/json', 'x-api-key': key }, '[{"query":"{ events { items { id } } }"}]');
    const get = await fetch(`${url.href}?query=${encodeURIComponent('{ events { items { id } } }')}`, { headers: { 'x-api-key': key } });
    expect([malformed.status, JSON.parse(malformed.body).errors[0].errorType, batch.status, JSON.parse(batch.body).errors[0].errorType, get.status, ((await get.json()) as { errors: { errorType: string }[] }).errors[0]!.errorType]).toEqual([
      400,
      'MalformedHttpRequestException',
      400,
      'MalformedHttpRequestException',
      405,
      'MethodNotAllowedException',
    ]);
    await stillServes();
  });
});
