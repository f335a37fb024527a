import { readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setPriority } from 'node:os';
import { DeleteTableCommand, DynamoDBClient, paginateListTables } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal, type DynamoDbLocal, type DynamoDbLocalOptions } from '../../local/dynamodb/server.ts';

/**
 * The test run's DynamoDB Local JVMs, lent to one test file at a time and wiped when given
 * back. A JVM costs a few CPU-seconds to start and more to warm up, and the suite used to start
 * one for each of ~50 files; on a 2-core machine that was a quarter of the run's CPU, and under
 * load a start could outlast its 30 s bound.
 *
 * The pool lives in vitest's main process (test/global-setup.ts); test workers lease through
 * `PRICESTREAM_TEST_DYNAMODB_POOL`. A file whose test kills, restarts or persists DynamoDB
 * Local starts its own instead.
 */
export const POOL_ENV = 'PRICESTREAM_TEST_DYNAMODB_POOL';

interface Lent {
  endpoint: string;
  port: number;
  pid: number;
}

interface PoolState {
  idle: DynamoDbLocal[];
  leased: Map<number, DynamoDbLocal>;
  /** Starts in progress, stopped with the pool even when they finish after it. */
  starting: Set<Promise<DynamoDbLocal>>;
  closed: boolean;
}

/** Starts the pool's lease server, with `warm` JVMs started ahead; resolves with its URL and stop. */
export async function startDynamoDbPool(options: { warm: number; log(line: string): void }): Promise<{ url: string; stop(): Promise<void> }> {
  const state: PoolState = { idle: [], leased: new Map(), starting: new Set(), closed: false };
  for (let i = 0; i < options.warm; i++) {
    startJvm(state).then(
      (jvm) => state.idle.push(jvm),
      (error: Error) => options.log(`dynamodb pool: a warm JVM did not start: ${error.message}`),
    );
  }
  const server = createServer((request, response) => {
    handle(state, request, response).catch((error: Error) => reply(response, 500, { message: error.message }));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async stop() {
      state.closed = true;
      server.close();
      const starting = await Promise.allSettled(state.starting);
      const all = [...state.idle, ...state.leased.values(), ...starting.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))];
      await Promise.all([...new Set(all)].map((jvm) => jvm.stop()));
    },
  };
}

async function handle(state: PoolState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const release = /^\/release\/(\d+)$/.exec(request.url ?? '');
  if (request.method === 'POST' && request.url === '/lease') {
    const jvm = state.idle.pop() ?? (await startJvm(state));
    state.leased.set(jvm.port, jvm);
    const lent: Lent = { endpoint: jvm.endpoint, port: jvm.port, pid: jvm.pid };
    return reply(response, 200, lent);
  }
  if (request.method === 'POST' && release) {
    const jvm = state.leased.get(Number(release[1]));
    if (!jvm) return reply(response, 404, { message: `no JVM on port ${release[1]} is leased` });
    state.leased.delete(jvm.port);
    try {
      await wipe(jvm.endpoint);
      state.idle.push(jvm);
    } catch {
      // A JVM that cannot be wiped (it died, or hangs) is not lent again.
      await jvm.stop();
    }
    return reply(response, 204);
  }
  reply(response, 404, { message: `unknown pool request ${request.method} ${request.url}` });
}

async function startJvm(state: PoolState): Promise<DynamoDbLocal> {
  if (state.closed) throw new Error('the DynamoDB Local pool is stopped');
  const starting = startDynamoDbLocal();
  state.starting.add(starting);
  try {
    const jvm = await starting;
    lowerPriority(jvm.pid);
    // One that dies while idle is never lent; one that dies while lent fails its holder's requests.
    void jvm.exited.then(() => {
      const at = state.idle.indexOf(jvm);
      if (at >= 0) state.idle.splice(at, 1);
    });
    return jvm;
  } finally {
    state.starting.delete(starting);
  }
}

/**
 * The suite's workers run at nice 10 (test/lower-priority.ts) so that the network-failure tests
 * keep their recovery bounds; a JVM started by vitest's main process would not inherit that.
 * Every thread is reniced: on Linux a priority is per thread, and later threads inherit theirs.
 */
function lowerPriority(pid: number): void {
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      setPriority(Number(thread), 10);
    } catch {
      // The thread has ended.
    }
  }
}

/** Deletes every table, so the next file starts from an empty database. */
async function wipe(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    for await (const page of paginateListTables({ client }, {})) {
      for (const TableName of page.TableNames ?? []) await client.send(new DeleteTableCommand({ TableName }), { abortSignal: AbortSignal.timeout(10_000) });
    }
  } finally {
    client.destroy();
  }
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

/**
 * A DynamoDB Local from the run's pool (by default the one test/global-setup.ts started):
 * `stop()` gives it back, wiped. One of its own where the pool's cannot serve: outside a vitest
 * run, or for data on disk or a fixed port.
 */
export async function leaseDynamoDbLocal(options: DynamoDbLocalOptions = {}, pool = process.env[POOL_ENV]): Promise<DynamoDbLocal> {
  if (!pool || options.dataDir || options.port) return startDynamoDbLocal(options);
  const response = await fetch(`${pool}/lease`, { method: 'POST' });
  if (!response.ok) throw new Error(`the test run's DynamoDB Local pool refused a lease (${response.status}): ${await response.text()}`);
  const lent = (await response.json()) as Lent;
  let released: Promise<void> | undefined;
  return {
    ...lent,
    // A pooled JVM outlives the file; the pool stops it at the end of the run.
    exited: new Promise(() => {}),
    stop: () =>
      (released ??= fetch(`${pool}/release/${lent.port}`, { method: 'POST' }).then(async (r) => {
        if (!r.ok) throw new Error(`the DynamoDB Local pool did not take back port ${lent.port} (${r.status}): ${await r.text()}`);
      })),
  };
}
