import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that breaks the network on demand, for tests of clients (aws-amplify in
 * Node, Chromium) against the local runtime. It works below TLS and HTTP, so `https://` and
 * `wss://` pass through untouched and the client still verifies the server's certificate.
 *
 * - `pass`: forwards both ways.
 * - `offline`: the network is gone: open connections are reset, new ones are accepted and reset
 *   at once (the client sees a failed connect, as when an interface is down).
 * - `black-hole`: the path silently dies, as in a Wi-Fi to cellular handover: nothing is
 *   forwarded either way and no socket is closed. Connections caught in it stay dead for good
 *   (the old path never comes back); connections opened after the mode changes work again.
 * - `slow`: one-way latency and a bandwidth limit in each direction (e.g. 400 ms, 400 kbit/s).
 * - `random-resets`: forwards, but resets each connection after a random time in
 *   [minMs, maxMs] drawn from the proxy's seeded random source.
 *
 * `resetAll()` resets every open connection once, whatever the mode.
 */
export type ChaosMode =
  | { kind: 'pass' }
  | { kind: 'offline' }
  | { kind: 'black-hole' }
  | { kind: 'slow'; latencyMs: number; bitsPerSecond: number }
  | { kind: 'random-resets'; minMs: number; maxMs: number };

export interface ChaosProxy {
  readonly port: number;
  /** `url` with its port replaced by the proxy's (host and path kept, so the certificate still matches). */
  proxied(url: string): string;
  mode(): ChaosMode;
  setMode(mode: ChaosMode): void;
  resetAll(): void;
  /** `lastDeliveredAt`: when bytes last reached a client (ms since the epoch; 0: never). */
  stats(): { accepted: number; open: number; resets: number; lastDeliveredAt: number };
  close(): Promise<void>;
}

export interface ChaosProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** Seeded source for `random-resets`, so a run is repeatable. Default Math.random. */
  random?: () => number;
}

interface Link {
  client: Socket;
  upstream: Socket;
  /** Caught in a black hole: never forwards again. */
  dead: boolean;
  resetTimer?: ReturnType<typeof setTimeout>;
  /** When each direction's last chunk leaves the slow link, to keep order and bandwidth. */
  nextFree: { up: number; down: number };
}

interface ProxyState {
  options: Required<ChaosProxyOptions>;
  mode: ChaosMode;
  links: Set<Link>;
  accepted: number;
  resets: number;
  lastDeliveredAt: number;
}

export async function startChaosProxy(options: ChaosProxyOptions): Promise<ChaosProxy> {
  const state: ProxyState = {
    options: { targetHost: '127.0.0.1', random: Math.random, ...options },
    mode: { kind: 'pass' },
    links: new Set(),
    accepted: 0,
    resets: 0,
    lastDeliveredAt: 0,
  };
  const server = createServer({ pauseOnConnect: true }, (client) => accept(state, client));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    proxied(url) {
      const u = new URL(url);
      u.port = String(port);
      return u.toString();
    },
    mode: () => state.mode,
    setMode: (mode) => setMode(state, mode),
    resetAll: () => {
      for (const link of [...state.links]) reset(state, link);
    },
    stats: () => ({ accepted: state.accepted, open: state.links.size, resets: state.resets, lastDeliveredAt: state.lastDeliveredAt }),
    close: () => closeProxy(state, server),
  };
}

function accept(state: ProxyState, client: Socket): void {
  state.accepted += 1;
  client.on('error', () => {});
  if (state.mode.kind === 'offline') {
    client.resetAndDestroy();
    state.resets += 1;
    return;
  }
  const upstream = connect({ port: state.options.targetPort, host: state.options.targetHost, allowHalfOpen: true });
  upstream.on('error', () => {});
  upstream.pause();
  const link: Link = { client, upstream, dead: state.mode.kind === 'black-hole', nextFree: { up: 0, down: 0 } };
  state.links.add(link);
  const drop = () => {
    if (!state.links.delete(link)) return;
    clearTimeout(link.resetTimer);
    client.destroy();
    upstream.destroy();
  };
  client.on('close', drop);
  upstream.on('close', drop);
  client.on('data', (chunk: Buffer) => forward(state, link, chunk, 'up'));
  upstream.on('data', (chunk: Buffer) => forward(state, link, chunk, 'down'));
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  if (!link.dead) {
    client.resume();
    upstream.resume();
  }
  scheduleRandomReset(state, link);
}

function forward(state: ProxyState, link: Link, chunk: Buffer, direction: 'up' | 'down'): void {
  if (link.dead) return;
  const to = direction === 'up' ? link.upstream : link.client;
  const write = () => {
    if (link.dead || to.destroyed) return;
    to.write(chunk);
    if (direction === 'down') state.lastDeliveredAt = Date.now();
  };
  const mode = state.mode;
  if (mode.kind !== 'slow') {
    write();
    return;
  }
  // Serialisation at the link's bandwidth, then propagation delay; chunks keep their order.
  const now = Date.now();
  const leaves = Math.max(now, link.nextFree[direction]) + (chunk.length * 8 * 1000) / mode.bitsPerSecond;
  link.nextFree[direction] = leaves;
  setTimeout(write, leaves - now + mode.latencyMs);
}

function setMode(state: ProxyState, mode: ChaosMode): void {
  state.mode = mode;
  for (const link of [...state.links]) {
    switch (mode.kind) {
      case 'offline':
        reset(state, link);
        break;
      case 'black-hole':
        // Stop reading both sides: nothing moves, the kernel buffers fill, nobody is told.
        link.dead = true;
        link.client.pause();
        link.upstream.pause();
        break;
      case 'random-resets':
        scheduleRandomReset(state, link);
        break;
      case 'pass':
      case 'slow':
        clearTimeout(link.resetTimer);
        break;
    }
  }
}

function scheduleRandomReset(state: ProxyState, link: Link): void {
  const mode = state.mode;
  if (mode.kind !== 'random-resets') return;
  clearTimeout(link.resetTimer);
  const after = mode.minMs + state.options.random() * (mode.maxMs - mode.minMs);
  link.resetTimer = setTimeout(() => reset(state, link), after);
}

function reset(state: ProxyState, link: Link): void {
  if (!state.links.delete(link)) return;
  clearTimeout(link.resetTimer);
  state.resets += 1;
  if (!link.client.destroyed) link.client.resetAndDestroy();
  if (!link.upstream.destroyed) link.upstream.resetAndDestroy();
}

async function closeProxy(state: ProxyState, server: Server): Promise<void> {
  for (const link of [...state.links]) {
    state.links.delete(link);
    clearTimeout(link.resetTimer);
    link.client.destroy();
    link.upstream.destroy();
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
