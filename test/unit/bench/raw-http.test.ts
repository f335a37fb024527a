// The benchmarks' lean HTTP client (bench/request-path/raw-http.ts) against a real node:http
// server on loopback: every framing the three benchmark servers use, answers split across
// segments, connections the server closes, and answers it cannot frame.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawHttpConnection } from '../../../bench/request-path/raw-http.ts';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
}

const readBody = (req: NodeJS.ReadableStream) => new Promise<string>((resolve) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
});

describe('RawHttpConnection', () => {
  it('posts with the given headers and reads Content-Length answers, reusing one connection', async () => {
    const seen: { body: string; key: unknown; type: unknown; port: number | undefined }[] = [];
    const url = await serve(async (req, res) => {
      seen.push({ body: await readBody(req), key: req.headers['x-api-key'], type: req.headers['content-type'], port: req.socket.remotePort });
      const text = JSON.stringify({ data: { ping: seen.length, note: 'é' } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    });
    const connection = new RawHttpConnection(url, { 'content-type': 'application/json', 'x-api-key': 'k1' });
    const first = await connection.post('{"query":"{ ping }","n":"é"}');
    const second = await connection.post('{"query":"{ ping }"}');
    connection.close();
    expect(first).toEqual({ status: 200, body: '{"data":{"ping":1,"note":"é"}}' });
    expect(second.body).toBe('{"data":{"ping":2,"note":"é"}}');
    expect(seen.map((s) => s.body)).toEqual(['{"query":"{ ping }","n":"é"}', '{"query":"{ ping }"}']);
    expect(seen.every((s) => s.key === 'k1' && s.type === 'application/json')).toBe(true);
    expect(seen[1]!.port).toBe(seen[0]!.port);
  });

  it('reads chunked answers, also when they arrive in pieces', async () => {
    const url = await serve(async (req, res) => {
      await readBody(req);
      res.writeHead(503, { 'content-type': 'application/json' });
      res.write('{"errors":[{"message":');
      setTimeout(() => res.end('"busy"}]}'), 20);
    });
    const connection = new RawHttpConnection(url, {});
    expect(await connection.post('{}')).toEqual({ status: 503, body: '{"errors":[{"message":"busy"}]}' });
    expect(await connection.post('{}')).toEqual({ status: 503, body: '{"errors":[{"message":"busy"}]}' });
    connection.close();
  });

  it('opens a new connection after an answer that closes its connection', async () => {
    const ports: (number | undefined)[] = [];
    const url = await serve(async (req, res) => {
      await readBody(req);
      ports.push(req.socket.remotePort);
      res.writeHead(413, { connection: 'close', 'content-length': 2 }).end('no');
    });
    const connection = new RawHttpConnection(url, {});
    expect(await connection.post('{}')).toEqual({ status: 413, body: 'no' });
    expect(await connection.post('{}')).toEqual({ status: 413, body: 'no' });
    connection.close();
    expect(ports).toHaveLength(2);
    expect(ports[1]).not.toBe(ports[0]);
  });

  it('drops what follows an answer that closes its connection, so the next answer is read clean', async () => {
    let count = 0;
    const url = await serve((req) => void readBody(req).then(() => req.socket.end(`HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\n${++count}!trailing bytes`)));
    const connection = new RawHttpConnection(url, {});
    expect(await connection.post('{}')).toEqual({ status: 200, body: '1!' });
    expect(await connection.post('{}')).toEqual({ status: 200, body: '2!' });
    connection.close();
  });

  it('fails a request whose connection the server drops, saying so', async () => {
    const url = await serve((req) => void readBody(req).then(() => req.socket.destroy()));
    const connection = new RawHttpConnection(url, {});
    await expect(connection.post('{}')).rejects.toThrow('the server closed the connection before answering');
  });

  it('refuses an answer framed by neither Content-Length nor chunked encoding, naming it', async () => {
    const url = await serve((req) => void readBody(req).then(() => req.socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil close')));
    const connection = new RawHttpConnection(url, {});
    await expect(connection.post('{}')).rejects.toThrow('an answer with neither Content-Length nor chunked encoding: HTTP/1.1 200 OK');
  });

  it('carries one request at a time', async () => {
    const url = await serve(async (req, res) => {
      await readBody(req);
      res.writeHead(200, { 'content-length': 2 }).end('ok');
    });
    const connection = new RawHttpConnection(url, {});
    const first = connection.post('{}');
    await expect(connection.post('{}')).rejects.toThrow('one request at a time');
    expect((await first).body).toBe('ok');
    connection.close();
  });
});
