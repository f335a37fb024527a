/**
 * The protocol-only floor: what the same requests cost with no GraphQL at all. HTTP answers
 * each POST by parsing its JSON and writing a canned answer of the operation's shape; the
 * real-time side speaks just enough of AppSync's protocol (connection_init, start, data) for the
 * subscribers, and a publish writes one data frame per matching subscription. Any server that
 * does real work can only be slower than this.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { AnswerBatch } from '../../local/http/answer-batch.ts';
import { tellParent, type ServerReady } from './protocol.ts';

interface FloorSubscription { socket: WebSocket; id: string; market: string | undefined }
const subscriptions: FloorSubscription[] = [];

const answers = new AnswerBatch();
const server = createServer((req, res) => {
  readJson(req).then(
    (body) => {
      const query = String(body.query ?? '');
      const variables = (body.variables ?? {}) as Record<string, unknown>;
      let data: unknown;
      if (query.includes('publishTick')) {
        data = { publishTick: variables };
        publish(variables);
      } else if (query.includes('tick(')) data = { tick: variables };
      else if (query.includes('market(')) data = { market: { id: variables.id, name: 'Market', version: 1, price: 2.5 } };
      else if (query.includes('pipeline(')) data = { pipeline: variables.n };
      else data = { ping: variables.n };
      // Framed and written as the runtime writes its answers (a Content-Length, not chunked; the
      // answers of one turn of the event loop together), so it stays the floor.
      const text = JSON.stringify({ data });
      answers.end(res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }), text);
    },
    () => res.writeHead(400).end(),
  );
});

const realtime = new WebSocketServer({ noServer: true, handleProtocols: () => 'graphql-ws' });
server.on('upgrade', (req, socket, head) => realtime.handleUpgrade(req, socket, head, (ws) => accept(ws)));

function accept(socket: WebSocket): void {
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { type: string; id?: string; payload?: { data?: string } };
    if (frame.type === 'connection_init') socket.send('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
    else if (frame.type === 'start' && frame.id) {
      const query = (JSON.parse(frame.payload?.data ?? '{}') as { query?: string }).query ?? '';
      subscriptions.push({ socket, id: frame.id, market: /market:\s*"([^"]+)"/.exec(query)?.[1] });
      socket.send(JSON.stringify({ type: 'start_ack', id: frame.id }));
    }
  });
  socket.on('close', () => {
    for (let i = subscriptions.length - 1; i >= 0; i--) if (subscriptions[i]!.socket === socket) subscriptions.splice(i, 1);
  });
}

function publish(tick: Record<string, unknown>): void {
  const data = JSON.stringify({ onTick: tick });
  for (const s of subscriptions) if (s.market === undefined || s.market === tick.market) s.socket.send(`{"id":${JSON.stringify(s.id)},"type":"data","payload":{"data":${data}}}`);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  tellParent({ type: 'ready', graphqlUrl: `http://127.0.0.1:${port}/graphql`, realtimeUrl: `ws://127.0.0.1:${port}/graphql/realtime`, apiKey: 'da2-floor' } satisfies ServerReady);
});
process.on('disconnect', () => process.exit(0));
