import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime.ts';
import { synthScalarSubscriptionStack } from '../../fixtures/scalar-subscriptions/stack.ts';
import { apiKey, postGraphql } from '../../support/callers.ts';
import { openRaw, subprotocolFor, type RawClient } from '../../unit/realtime/harness.ts';

/**
 * Subscriptions whose field returns a scalar or a list (test/fixtures/scalar-subscriptions),
 * over wss:// on a test-only stack. Without arguments every publication is delivered as the
 * mutation returned it; with arguments nothing is, for a scalar or a list has no top-level field
 * to match. UNVERIFIED against AppSync (AWS documents object payloads only); it is what the
 * Amplify simulator does, and aws-appsync-community#364 reports the second half on AppSync
 * (local/appsync/subscriptions/argument-filter.ts).
 */

let runtime: LocalRuntime;
let client: RawClient;
let key: string;
let url: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'scalar-subscriptions-'));
  runtime = await startLocalRuntime({
    assemblyDir: synthScalarSubscriptionStack(join(root, 'cdk.out')),
    stateDir: join(root, 'state'),
    tlsDir: process.env.PRICESTREAM_TEST_TLS_DIR!,
    persistent: false,
  });
  const api = runtime.apis[0]!;
  url = api.graphqlUrl;
  key = api.model.apiKeys[0]!.value;
  client = await openRaw(`wss://localhost:${api.port}/graphql/realtime`, { protocols: subprotocolFor({ host: new URL(url).host, 'x-api-key': key }) });
  client.send({ type: 'connection_init' });
  await client.next((f) => f.type === 'connection_ack', 10_000);
  for (const [id, query] of [
    ['ping', 'subscription { onPing }'],
    ['ping-7', 'subscription { onPingValue(value: 7) }'],
    ['tag', 'subscription { onTag }'],
    ['items', 'subscription { onItems { name } }'],
    ['items-a', 'subscription { onItemsNamed(name: "a") { name size } }'],
  ]) {
    const from = client.frames.length;
    client.send({ id, type: 'start', payload: { data: JSON.stringify({ query, variables: {} }), extensions: { authorization: { host: new URL(url).host, 'x-api-key': key } } } });
    const answer = await client.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'), 10_000, from);
    expect(answer).toMatchObject({ type: 'start_ack' });
  }
});

afterAll(async () => {
  client?.close();
  await runtime?.stop();
});

const mutate = async (query: string) => (await postGraphql(url, apiKey(key), query)).body;
const dataFor = (id: string) => client.frames.filter((f) => f.id === id && f.type === 'data').map((f) => f.payload);

describe('subscriptions returning a scalar or a list', () => {
  it('delivers a scalar result to a subscription without arguments, as the value itself', async () => {
    expect(await mutate('mutation { ping(value: 4242) }')).toEqual({ data: { ping: 4242 } });
    expect((await client.next((f) => f.id === 'ping' && f.type === 'data', 5_000)).payload).toEqual({ data: { onPing: 4242 } });
  });

  it('delivers a list of scalars and a list of objects, projected element by element', async () => {
    expect(await mutate('mutation { tag(names: ["x", "y"]) }')).toEqual({ data: { tag: ['x', 'y'] } });
    expect((await client.next((f) => f.id === 'tag' && f.type === 'data', 5_000)).payload).toEqual({ data: { onTag: ['x', 'y'] } });
    expect(await mutate('mutation { addItems(names: ["a", "bc"]) { name size } }')).toEqual({ data: { addItems: [{ name: 'a', size: 1 }, { name: 'bc', size: 2 }] } });
    expect((await client.next((f) => f.id === 'items' && f.type === 'data', 5_000)).payload).toEqual({ data: { onItems: [{ name: 'a' }, { name: 'bc' }] } });
  });

  it('never delivers a scalar or a list to a subscription with arguments', async () => {
    await mutate('mutation { ping(value: 7) }');
    await mutate('mutation { addItems(names: ["a"]) { name size } }');
    // One socket delivers in publication order: once this later frame is here, the earlier ones would be too.
    await mutate('mutation { tag(names: ["last"]) }');
    await client.next((f) => f.id === 'tag' && f.type === 'data' && JSON.stringify(f.payload).includes('last'), 5_000);
    expect(dataFor('ping-7')).toEqual([]);
    expect(dataFor('items-a')).toEqual([]);
    expect(dataFor('ping')).toEqual([{ data: { onPing: 4242 } }, { data: { onPing: 7 } }]);
  });
});
