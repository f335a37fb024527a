import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime, type ReloadOutcome } from '../../local/runtime.ts';
import { apiKey, postGraphql } from '../support/callers.ts';
import { copyHotReloadApp, editFile } from '../support/hot-reload-app.ts';
import { connectRealtime, type RealtimeConnection } from '../support/realtime-client.ts';
import { eventually } from './test-runtime.ts';
import { leaseDynamoDbLocal } from '../support/dynamodb-pool.ts';

/**
 * `--watch`: a CDK app that is not Pricestream, run from its project folder with watch on. Each
 * edit (a resolver, the schema, a Lambda's source) is re-synthesized and swapped in while a
 * WebSocket subscription stays open and DynamoDB keeps its items; code AppSync would refuse is
 * reported with file, line and rule, and the previous version keeps serving. The 3 s target is
 * measured in bench/hot-reload.ts; the bound here only keeps a loaded machine from failing it.
 */

const RELOAD_BOUND_MS = 90_000;

let appDir: string;
let runtime: LocalRuntime;
const logs: string[] = [];
const reloads: ReloadOutcome[] = [];
let key: string;
let connection: RealtimeConnection;

const graphql = (query: string) => postGraphql(runtime.apis[0]!.graphqlUrl, apiKey(key), query).then((r) => r.body as { data?: Record<string, unknown>; errors?: unknown[] });
const reloadsAfter = (count: number) => eventually(`reload ${count + 1}; logs:\n${logs.join('\n')}`, () => reloads[count], RELOAD_BOUND_MS);

beforeAll(async () => {
  appDir = copyHotReloadApp();
  runtime = await startLocalRuntime({
    projectDir: appDir,
    stateDir: join(appDir, '.local'),
    tlsDir: process.env.PRICESTREAM_TEST_TLS_DIR!,
    persistent: false,
    startDynamoDb: leaseDynamoDbLocal,
    watch: true,
    onReload: (outcome) => reloads.push(outcome),
    log: (line) => logs.push(line),
  });
  key = runtime.apis[0]!.model.apiKeys[0]!.value;
  const api = runtime.apis[0]!;
  const auth = { host: new URL(api.graphqlUrl).host, 'x-api-key': key };
  connection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, auth);
  connection.send({ type: 'connection_init' });
  await connection.next((f) => f.type === 'connection_ack');
  for (const [id, query] of [
    ['red', 'subscription { onNote(tag: "red") { text tag } }'],
    ['any', 'subscription { onAnyNote { text } }'],
  ] as const) {
    connection.send({ id, type: 'start', payload: { data: JSON.stringify({ query }), extensions: { authorization: auth } } });
    await connection.next((f) => f.id === id && f.type === 'start_ack');
  }
}, 180_000);
afterAll(async () => {
  connection?.close();
  await runtime?.stop();
});

describe('hot reload (--watch)', () => {
  it('swaps in an edited resolver and schema; the socket, the subscriptions still in the schema and the data stay', async () => {
    expect(await graphql('mutation { addNote(text: "before", tag: "red") { id text tag } }')).toMatchObject({ data: { addNote: { text: 'before' } } });
    await connection.next((f) => f.id === 'red' && f.type === 'data' && JSON.stringify(f.payload).includes('before'));
    expect(await graphql('{ hello(name: "you") }')).toEqual({ data: { hello: 'hello you' } });

    editFile(appDir, 'resolvers/hello.js', '`${ctx.env.GREETING} ${ctx.args.name}`', '`hi ${ctx.args.name}, reloaded`');
    editFile(appDir, 'schema.graphql', '  onAnyNote: Note @aws_subscribe(mutations: ["addNote"])\n', '');
    const outcome = await reloadsAfter(0);
    expect(outcome, logs.join('\n')).toMatchObject({ ok: true });
    expect(await graphql('{ hello(name: "you") }')).toEqual({ data: { hello: 'hi you, reloaded' } });

    // The subscription whose field is gone ends with the validation error; the socket stays.
    const ended = await connection.next((f) => f.id === 'any' && f.type === 'error');
    expect(JSON.stringify(ended.payload)).toMatch(/onAnyNote/);
    expect(await graphql('mutation { addNote(text: "after", tag: "red") { id text tag } }')).toMatchObject({ data: { addNote: { text: 'after' } } });
    await connection.next((f) => f.id === 'red' && f.type === 'data' && JSON.stringify(f.payload).includes('after'));
    const notes = (await graphql('{ notes { text } }')).data!.notes as { text: string }[];
    expect(notes.map((n) => n.text).sort()).toEqual(['after', 'before']);
  });

  it("replaces a Lambda whose source changed, and only that one's workers", async () => {
    expect(await graphql('{ multiply(n: 21) }')).toEqual({ data: { multiply: 42 } });
    editFile(appDir, 'lambda/index.mjs', 'event.arguments.n * 2', 'event.arguments.n * 3');
    const outcome = await reloadsAfter(1);
    expect(outcome).toMatchObject({ ok: true, replacedFunctions: [expect.stringMatching(/Multiplier/)] });
    expect(await graphql('{ multiply(n: 21) }')).toEqual({ data: { multiply: 63 } });
  });

  it('reports resolver code AppSync would refuse with file:line:rule and keeps serving the previous version', async () => {
    editFile(
      appDir,
      'resolvers/hello.js',
      'export function request(ctx) {\n  return',
      'export function request(ctx) {\n  try {\n    ctx.stash.x = 1;\n  } catch (e) {\n    ctx.stash.x = 2;\n  }\n  return',
    );
    const outcome = await reloadsAfter(2);
    expect(outcome.ok).toBe(false);
    const message = (outcome as Extract<ReloadOutcome, { ok: false }>).message;
    expect(message).toMatch(/Query\.hello/);
    expect(message).toMatch(/code\.js:2:\d+ .*try/i);
    expect(logs.join('\n')).toMatch(/reload refused, the previous version keeps serving: .*AppSync would refuse/s);
    expect(await graphql('{ hello(name: "you") }')).toEqual({ data: { hello: 'hi you, reloaded' } });
    expect(await graphql('mutation { addNote(text: "still", tag: "red") { id text tag } }')).toMatchObject({ data: { addNote: { text: 'still' } } });
    await connection.next((f) => f.id === 'red' && f.type === 'data' && JSON.stringify(f.payload).includes('still'));
  });
});
