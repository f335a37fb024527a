/**
 * The load generator, in a process of its own so that it never shares an event loop with the
 * server it measures. Asked over IPC for one run: a closed loop of `concurrency` requests in
 * flight for `seconds` (after `warmupSeconds` not counted), each loop on a lean keep-alive
 * connection of its own (raw-http.ts), or requests paced at `rate` per second (publications
 * carry this process's clock for the subscribers to subtract).
 */
import { Agent, request } from 'node:http';
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbWire } from '../../local/dynamodb/wire-client.ts';
import { quantile } from '../report.ts';
import { RawHttpConnection } from './raw-http.ts';
import { EXPECTED, MARKET_IDS, OPERATIONS } from './shape.ts';
import { tellParent, type LoadResult } from './protocol.ts';

export type Operation = keyof typeof OPERATIONS;
export type LoadRequest =
  | { kind: 'closed'; url: string; apiKey: string; operation: Operation; concurrency: number; seconds: number; warmupSeconds: number }
  | { kind: 'paced'; url: string; apiKey: string; operation: Operation; rate: number; seconds: number }
  | { kind: 'sdk-getitem' | 'wire-getitem'; endpoint: string; region: string; tableName: string; concurrency: number; seconds: number; warmupSeconds: number };

const now = () => performance.timeOrigin + performance.now();
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(url: URL, apiKey: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
      },
    );
    req.on('error', reject).end(body);
  });
}

/** `concurrency` loops, each sending its next request when the last one is answered. */
async function closedLoop(call: (i: number, loop: number) => Promise<boolean | string>, concurrency: number, seconds: number, warmupSeconds: number): Promise<LoadResult> {
  const warmEnd = now() + warmupSeconds * 1000;
  const end = warmEnd + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (now() < end) {
        const started = now();
        let outcome: boolean | string;
        try {
          outcome = await call(i++, loop);
        } catch (error) {
          outcome = String(error);
        }
        if (started < warmEnd) continue;
        if (outcome === true) latencies.push(now() - started);
        else {
          errors++;
          firstError ??= String(outcome).slice(0, 300);
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { type: 'load-done', requests: latencies.length, errors, firstError, seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

async function run(spec: LoadRequest): Promise<LoadResult> {
  switch (spec.kind) {
    case 'closed': {
      const url = new URL(spec.url);
      const expected = EXPECTED[spec.operation];
      const body = OPERATIONS[spec.operation];
      const connections = Array.from({ length: spec.concurrency }, () => new RawHttpConnection(url, { 'content-type': 'application/json', 'x-api-key': spec.apiKey }));
      const result = await closedLoop(async (i, loop) => {
        const answer = await connections[loop]!.post(body(i));
        return answer.status === 200 && answer.body.includes(expected) && !answer.body.includes('"errors"') ? true : `${answer.status} ${answer.body}`;
      }, spec.concurrency, spec.seconds, spec.warmupSeconds);
      for (const connection of connections) connection.close();
      return result;
    }
    case 'sdk-getitem': {
      const client = new DynamoDBClient({ endpoint: spec.endpoint, region: spec.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      await client.send(new BatchGetItemCommand({ RequestItems: { [spec.tableName]: { Keys: [{ id: { S: MARKET_IDS[0]! } }] } } }));
      return closedLoop(async (i) => {
        const { Item } = await client.send(new GetItemCommand({ TableName: spec.tableName, Key: { id: { S: MARKET_IDS[i % MARKET_IDS.length]! } } }));
        return Item?.price?.N === '2.5' ? true : `no item: ${JSON.stringify(Item)}`;
      }, spec.concurrency, spec.seconds, spec.warmupSeconds);
    }
    case 'wire-getitem': {
      const wire = createDynamoDbWire({ endpoint: spec.endpoint, region: spec.region });
      return closedLoop(async (i) => {
        const { Item } = await wire.call('GetItem', { TableName: spec.tableName, Key: { id: { S: MARKET_IDS[i % MARKET_IDS.length]! } } });
        return Item?.price?.N === '2.5' ? true : `no item: ${JSON.stringify(Item)}`;
      }, spec.concurrency, spec.seconds, spec.warmupSeconds);
    }
    case 'paced': {
      const url = new URL(spec.url);
      const expected = EXPECTED[spec.operation];
      const total = Math.round(spec.rate * spec.seconds);
      const start = now();
      const latencies: number[] = [];
      let errors = 0;
      let firstError: string | undefined;
      const sends: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / spec.rate;
        const wait = due - now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const sentAt = now();
        sends.push(
          post(url, spec.apiKey, spec.operation === 'publish' ? OPERATIONS.publish(i + 1, 'm1', sentAt) : OPERATIONS[spec.operation](i)).then(
            (answer) => {
              if (answer.includes(expected) && !answer.includes('"errors"')) latencies.push(now() - sentAt);
              else {
                errors++;
                firstError ??= answer.slice(0, 300);
              }
            },
            (error: Error) => {
              errors++;
              firstError ??= error.message;
            },
          ),
        );
      }
      await Promise.all(sends);
      latencies.sort((a, b) => a - b);
      return { type: 'load-done', requests: latencies.length, errors, firstError, seconds: spec.seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
    }
  }
}

process.on('message', (spec: LoadRequest) => {
  run(spec).then(
    (result) => tellParent(result),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
