import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChaosProxy, type ChaosProxy } from '../../support/chaos-proxy.ts';
import { seeded } from '../../support/pricestream.ts';

/** The chaos proxy against a loopback echo server: each mode does what it says, and no more. */

let echo: Server;
let echoPort: number;
let proxy: ChaosProxy;
const sockets: Socket[] = [];

beforeAll(async () => {
  echo = createServer((s) => {
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => echo.close(() => r())));
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await proxy?.close();
});

interface Probe {
  socket: Socket;
  received: () => string;
  closed: () => string | undefined;
}

async function open(): Promise<Probe> {
  const socket = connect({ port: proxy.port, host: '127.0.0.1' });
  sockets.push(socket);
  let data = '';
  let closed: string | undefined;
  socket.on('data', (c) => (data += c.toString()));
  socket.on('error', (e: NodeJS.ErrnoException) => (closed = e.code ?? e.message));
  socket.on('close', () => (closed ??= 'closed'));
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  return { socket, received: () => data, closed: () => closed };
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('chaos proxy', () => {
  it('forwards both ways in pass mode', async () => {
    proxy = await startChaosProxy({ targetPort: echoPort });
    const probe = await open();
    probe.socket.write('hello');
    await until('the echo', () => probe.received() === 'hello');
    expect(proxy.stats()).toMatchObject({ accepted: 1, open: 1, resets: 0, lastDeliveredAt: expect.any(Number) });
    expect(Date.now() - proxy.stats().lastDeliveredAt).toBeLessThan(5_000);
    expect(proxy.proxied('https://localhost:4000/graphql')).toBe(`https://localhost:${proxy.port}/graphql`);
  });

  it('offline: resets open connections and every new one; pass again: new connections work', async () => {
    proxy = await startChaosProxy({ targetPort: echoPort });
    const before = await open();
    proxy.setMode({ kind: 'offline' });
    await until('the open connection to be reset', () => before.closed() !== undefined);
    expect(before.closed()).toBe('ECONNRESET');
    const during = await open();
    await until('the new connection to be reset', () => during.closed() !== undefined);
    proxy.setMode({ kind: 'pass' });
    const after = await open();
    after.socket.write('back');
    await until('the echo after the network returns', () => after.received() === 'back');
  });

  it('black-hole: forwards nothing and closes nothing; connections caught in it stay dead after the network returns', async () => {
    proxy = await startChaosProxy({ targetPort: echoPort });
    const caught = await open();
    caught.socket.write('a');
    await until('the first echo', () => caught.received() === 'a');
    proxy.setMode({ kind: 'black-hole' });
    caught.socket.write('b');
    const opened = await open();
    opened.socket.write('c');
    // Nothing can be awaited for "nothing happens"; a bounded look is the only way to see it.
    await new Promise((r) => setTimeout(r, 300));
    expect([caught.received(), caught.closed(), opened.received(), opened.closed()]).toEqual(['a', undefined, '', undefined]);
    proxy.setMode({ kind: 'pass' });
    const fresh = await open();
    fresh.socket.write('d');
    await until('a fresh connection to work', () => fresh.received() === 'd');
    expect([caught.received(), opened.received()]).toEqual(['a', '']);
  });

  it('slow: adds the latency each way and keeps the order', async () => {
    proxy = await startChaosProxy({ targetPort: echoPort });
    proxy.setMode({ kind: 'slow', latencyMs: 200, bitsPerSecond: 400_000 });
    const probe = await open();
    const started = Date.now();
    probe.socket.write('x'.repeat(5_000));
    probe.socket.write('y');
    await until('the echo through the slow link', () => probe.received().length === 5_001);
    // 200 ms each way plus 5,001 bytes at 400 kbit/s each way (2 × 100 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(probe.received().endsWith('y')).toBe(true);
  });

  it('random-resets: resets each connection within its window; resetAll resets them all now', async () => {
    proxy = await startChaosProxy({ targetPort: echoPort, random: seeded(3) });
    const a = await open();
    const b = await open();
    proxy.resetAll();
    await until('both to be reset', () => a.closed() !== undefined && b.closed() !== undefined);
    proxy.setMode({ kind: 'random-resets', minMs: 50, maxMs: 150 });
    const c = await open();
    await until('a random reset', () => c.closed() !== undefined, 2_000);
    expect(proxy.stats().resets).toBe(3);
  });
});
