import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { synthForeignStack } from '../fixtures/foreign/stack.ts';
import { apiKey, postGraphql } from '../support/callers.ts';
import { connectRealtime } from '../support/realtime-client.ts';
import { leaseDynamoDbLocal } from '../support/dynamodb-pool.ts';

/**
 * `local/` is a general AppSync runtime: a stack that is not Pricestream's runs too. What the
 * runtime cannot run (VTL, a Python function, an S3 bucket) is reported at start and, where a
 * request reaches it, fails with a reason — the rest works.
 */

let runtime: LocalRuntime;
const logs: string[] = [];
let key: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'foreign-'));
  runtime = await startLocalRuntime({
    assemblyDir: synthForeignStack(join(root, 'cdk.out')),
    stateDir: join(root, 'state'),
    tlsDir: process.env.PRICESTREAM_TEST_TLS_DIR!,
    persistent: false,
    startDynamoDb: leaseDynamoDbLocal,
    log: (line) => logs.push(line),
  });
  key = runtime.apis[0]!.model.apiKeys[0]!.value;
});
afterAll(() => runtime?.stop());

const graphql = (query: string) => postGraphql(runtime.apis[0]!.graphqlUrl, apiKey(key), query).then((r) => r.body);

describe('a cloud assembly that is not Pricestream', () => {
  it('reports at start what it cannot run, by name', () => {
    expect(logs.join('\n')).toMatch(/do(es)? not know.*Foreign\/Attachments\w* \(AWS::S3::Bucket\)/);
    expect(logs.join('\n')).toMatch(/function Foreign-Reporter\w* is not run locally: runtime python3\.12/);
    expect(logs.join('\n')).toMatch(/Query\.legacy will fail when resolved: .*VTL mapping templates are not run/);
  });

  it('runs its JS resolvers, DynamoDB with a GSI, and subscriptions', async () => {
    expect(await graphql('{ hello(name: "you") }')).toEqual({ data: { hello: 'hello you' } });
    const api = runtime.apis[0]!;
    const connection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, { host: new URL(api.graphqlUrl).host, 'x-api-key': key });
    connection.send({ type: 'connection_init' });
    await connection.next((f) => f.type === 'connection_ack');
    const data = JSON.stringify({ query: 'subscription { onNote(tag: "red") { text tag } }' });
    connection.send({ id: 'n', type: 'start', payload: { data, extensions: { authorization: { host: new URL(api.graphqlUrl).host, 'x-api-key': key } } } });
    await connection.next((f) => f.id === 'n' && f.type === 'start_ack');

    // AppSync filters on what the mutation selected: `tag` must be in its selection set.
    await graphql('mutation { addNote(text: "one", tag: "red") { id text tag } }');
    await graphql('mutation { addNote(text: "two", tag: "blue") { id text tag } }');
    expect(await connection.next((f) => f.id === 'n' && f.type === 'data')).toMatchObject({ payload: { data: { onNote: { text: 'one', tag: 'red' } } } });
    expect(await graphql('{ notesByTag(tag: "blue") { text } }')).toEqual({ data: { notesByTag: [{ text: 'two' }] } });
    connection.close();
  });

  it('runs an inline-code Lambda behind a direct resolver', async () => {
    expect(await graphql('{ fromLambda(n: 21) }')).toEqual({ data: { fromLambda: 42 } });
  });

  it('fails a VTL field with the reason, and resolves the others of the same request', async () => {
    const body = await graphql('{ hello(name: "x") legacy }');
    expect(body.data).toEqual({ hello: 'hello x', legacy: null });
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'LocalRuntime:Unsupported', path: ['legacy'], message: expect.stringContaining('VTL mapping templates are not run') })]);
  });
});
