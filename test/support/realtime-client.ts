/**
 * A raw AppSync real-time client for tests: the frames of the `graphql-ws` flavour AppSync
 * speaks, with the auth header object carried as Amplify ≥ 6.6 does (a `header-<base64url>`
 * sub-protocol) or as older clients do (`?header=&payload=` query parameters).
 */

export type Frame = { type: string; id?: string; payload?: Record<string, unknown> };

export interface RealtimeConnection {
  frames: Frame[];
  send(frame: unknown): void;
  next(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

export async function connectRealtime(
  url: string,
  headers: Record<string, unknown>,
  style: 'subprotocol' | 'query' = 'subprotocol',
): Promise<RealtimeConnection> {
  const json = JSON.stringify(headers);
  const socket =
    style === 'subprotocol'
      ? new WebSocket(url, ['graphql-ws', `header-${Buffer.from(json).toString('base64url')}`])
      : new WebSocket(`${url}?header=${Buffer.from(json).toString('base64')}&payload=e30=`, ['graphql-ws']);
  const frames: Frame[] = [];
  const waiters: { predicate: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(String(event.data)) as Frame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  await new Promise<void>((open, fail) => {
    socket.addEventListener('open', () => open(), { once: true });
    socket.addEventListener('error', () => fail(new Error(`cannot open ${url}`)), { once: true });
  });
  return {
    frames,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next: (predicate, timeoutMs = 5_000) => {
      const seen = frames.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)), timeoutMs);
        waiters.push({ predicate, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
    close: () => socket.close(),
  };
}
