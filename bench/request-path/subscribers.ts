/**
 * Subscribers in a process of their own: `connections` WebSockets speaking AppSync's real-time
 * protocol (API key), each with `perConnection` subscriptions to onTick(market: "m1"). Each data
 * frame's latency is this process's clock minus the `sentAt` the publisher put in it (both are
 * performance.timeOrigin + performance.now(): one wall clock on one machine).
 */
import { WebSocket } from 'ws';
import { quantile } from '../report.ts';
import { SUBSCRIPTION } from './shape.ts';
import { tellParent } from './protocol.ts';

export type SubscribersRequest =
  | { type: 'connect'; realtimeUrl: string; apiKey: string; connections: number; perConnection: number }
  | { type: 'measure'; expected: number; timeoutMs: number };
export type SubscribersReport =
  | { type: 'connected'; subscriptions: number }
  | { type: 'measured'; received: number; expected: number; p50: number; p99: number; max: number };

const now = () => performance.timeOrigin + performance.now();
const SENT_AT = '"sentAt":';
const sockets: WebSocket[] = [];
let latencies: number[] = [];
let expected = 0;
let finish: (() => void) | undefined;

function onData(text: string): void {
  if (expected === 0) return;
  const start = text.indexOf(SENT_AT) + SENT_AT.length;
  latencies.push(now() - Number.parseFloat(text.slice(start, start + 24)));
  if (latencies.length === expected) finish?.();
}

async function connect(url: string, apiKey: string, connections: number, perConnection: number): Promise<number> {
  const host = new URL(url).host;
  const header = Buffer.from(JSON.stringify({ host, 'x-api-key': apiKey })).toString('base64');
  let started = 0;
  for (let c = 0; c < connections; c++) {
    const socket = new WebSocket(`${url}?header=${encodeURIComponent(header)}&payload=e30=`, ['graphql-ws'], { perMessageDeflate: false });
    sockets.push(socket);
    await new Promise<void>((ready, fail) => {
      let acks = 0;
      socket.on('error', fail);
      socket.on('message', (raw) => {
        const text = String(raw);
        if (text.includes('"type":"data"')) return onData(text);
        const frame = JSON.parse(text) as { type: string };
        if (frame.type === 'connection_ack') {
          for (let s = 0; s < perConnection; s++) {
            const data = JSON.stringify({ query: SUBSCRIPTION, variables: {} });
            socket.send(JSON.stringify({ id: `c${c}-s${s}`, type: 'start', payload: { data, extensions: { authorization: { host, 'x-api-key': apiKey } } } }));
          }
        } else if (frame.type === 'start_ack' && ++acks === perConnection) {
          started += acks;
          ready();
        } else if (frame.type === 'error' || frame.type === 'connection_error') fail(new Error(`connection ${c}: ${text}`));
      });
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    });
  }
  return started;
}

process.on('message', (request: SubscribersRequest) => {
  if (request.type === 'connect') {
    connect(request.realtimeUrl, request.apiKey, request.connections, request.perConnection).then(
      (subscriptions) => tellParent({ type: 'connected', subscriptions } satisfies SubscribersReport),
      (error: Error) => {
        console.error(error);
        process.exit(1);
      },
    );
    return;
  }
  latencies = [];
  expected = request.expected;
  const timer = setTimeout(() => finish?.(), request.timeoutMs);
  finish = () => {
    clearTimeout(timer);
    finish = undefined;
    const sorted = latencies.sort((a, b) => a - b);
    tellParent({ type: 'measured', received: sorted.length, expected, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN } satisfies SubscribersReport);
    expected = 0;
  };
});
process.on('disconnect', () => {
  for (const socket of sockets) socket.terminate();
  process.exit(0);
});
