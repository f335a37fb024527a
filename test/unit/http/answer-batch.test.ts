// Answers of one event-loop turn leave together (local/http/answer-batch.ts), on a real
// node:http server over loopback.
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AnswerBatch } from '../../../local/http/answer-batch.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(onRequest: (res: ServerResponse, path: string) => void): Promise<number> {
  server = createServer((req, res) => onRequest(res, req.url ?? ''));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const get = (port: number, path: string) =>
  new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject).end();
  });

describe('AnswerBatch', () => {
  it('ends a response at the end of the turn, not at once', async () => {
    const batch = new AnswerBatch();
    const seen: string[] = [];
    const port = await serve((res) => {
      batch.end(res.writeHead(200, { 'content-length': 2 }), 'ok');
      seen.push(`at once: ${res.writableEnded}`);
      // Microtasks run before the check phase; the answer is still held.
      queueMicrotask(() => seen.push(`microtask: ${res.writableEnded}`));
      setImmediate(() => seen.push(`next immediate: ${res.writableEnded}`));
    });
    expect(await get(port, '/')).toEqual({ status: 200, body: 'ok' });
    expect(seen).toEqual(['at once: false', 'microtask: false', 'next immediate: true']);
  });

  it('writes every answer held in a turn, each to its own client, and holds the next turn apart', async () => {
    const batch = new AnswerBatch();
    const held: ServerResponse[] = [];
    const port = await serve((res, path) => {
      held.push(res);
      batch.end(res.writeHead(200, { 'content-length': Buffer.byteLength(path) }), path);
    });
    const answers = await Promise.all(['/a', '/b', '/c'].map((path) => get(port, path)));
    expect(answers.map((a) => a.body)).toEqual(['/a', '/b', '/c']);
    expect(held.every((res) => res.writableEnded)).toBe(true);
    expect((await get(port, '/d')).body).toBe('/d');
  });

  it('skips a response whose client went away meanwhile, and still writes the others', async () => {
    const batch = new AnswerBatch();
    const port = await serve((res, path) => {
      batch.end(res.writeHead(200, { 'content-length': Buffer.byteLength(path) }), path);
      if (path === '/gone') res.destroy();
    });
    const [gone, kept] = await Promise.allSettled([get(port, '/gone'), get(port, '/kept')]);
    expect(gone.status).toBe('rejected');
    expect(kept).toEqual({ status: 'fulfilled', value: { status: 200, body: '/kept' } });
  });
});
