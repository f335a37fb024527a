import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, connected, GRAPHQL_PATH, startFrame, startHarness, subscribe, type Harness, type RawClient } from './harness.ts';

const ON_ITEM = 'subscription { onItemChange { id name } }';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe.each([
  { transport: 'ws://', secure: false },
  { transport: 'wss://', secure: true },
])('start / data / stop over $transport', ({ secure }) => {
  let client: RawClient;
  beforeAll(async () => {
    client = await connected(harness, secure);
  });
  afterAll(() => client.close());

  it('acknowledges a start, delivers data for its id, and answers stop with complete', async () => {
    expect(await subscribe(client, 'a', 'subscription { onPutItem(id: "1") { id name } }')).toEqual({ type: 'start_ack', id: 'a' });
    harness.server.publish('putItem', { id: '1', name: 'first', owner: 'o' });
    expect(await client.next((f) => f.type === 'data' && f.id === 'a')).toEqual({ type: 'data', id: 'a', payload: { data: { onPutItem: { id: '1', name: 'first' } } } });

    client.send({ type: 'stop', id: 'a' });
    expect(await client.next((f) => f.type === 'complete' && f.id === 'a')).toEqual({ type: 'complete', id: 'a' });
    // After the stop nothing more arrives for `a`: a second subscriber receives the next publication alone.
    await subscribe(client, 'b', 'subscription { onPutItem(id: "1") { id } }');
    harness.server.publish('putItem', { id: '1', name: 'second', owner: 'o' });
    await client.next((f) => f.type === 'data' && f.id === 'b');
    expect(client.frames.filter((f) => f.type === 'data' && f.id === 'a')).toHaveLength(1);
    client.send({ type: 'stop', id: 'b' });
    await client.next((f) => f.type === 'complete' && f.id === 'b');
  });

  it('authenticates each start on its own authorization: IAM signs the GraphQL path with body = payload.data', async () => {
    const frame = startFrame('iam-check', ON_ITEM, { unused: 1 });
    client.send(frame);
    await client.next((f) => f.id === 'iam-check');
    const call = harness.engine.calls.findLast((c) => c.kind === 'authenticate')!;
    expect(call.signed).toEqual({ path: GRAPHQL_PATH, body: frame.payload.data });

    client.send(startFrame('bad-key', ON_ITEM, undefined, { 'x-api-key': 'da2-wrong' }));
    expect(await client.next((f) => f.id === 'bad-key')).toEqual({
      type: 'error',
      id: 'bad-key',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] },
    });
    client.send({ type: 'stop', id: 'iam-check' });
    await client.next((f) => f.type === 'complete' && f.id === 'iam-check');
  });

  it('passes the refusal of the engine (field auth or resolver) through as the start error', async () => {
    expect(await subscribe(client, 'secret', 'subscription { onSecret { id } }')).toEqual({
      type: 'error',
      id: 'secret',
      payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onSecret on type Subscription' }] },
    });
  });

  it('gives the engine the field, coerced arguments (explicit null kept, omitted absent), the document and variables', async () => {
    await subscribe(client, 'args', 'subscription ($g: String) { onPutItem(id: 7, group: $g, name: null) { id } }', { g: 'x' });
    const { start } = harness.engine.calls.findLast((c) => c.kind === 'startSubscription')!;
    expect(start!.fieldName).toBe('onPutItem');
    expect(start!.args).toEqual({ id: '7', group: 'x', name: null });
    expect(start!.variables).toEqual({ g: 'x' });
    expect(start!.document.kind).toBe('Document');
    expect(start!.caller).toEqual({ authType: 'API_KEY', identity: null });

    await subscribe(client, 'omitted', 'subscription ($g: String) { onPutItem(group: $g) { id } }');
    expect(harness.engine.calls.findLast((c) => c.kind === 'startSubscription')!.start!.args).toEqual({});
    for (const id of ['args', 'omitted']) client.send({ type: 'stop', id });
    await client.next((f) => f.type === 'complete' && f.id === 'omitted');
  });
});

describe('errors for what AppSync refuses', () => {
  let client: RawClient;
  beforeAll(async () => {
    client = await connected(harness);
  });
  afterAll(() => client.close());

  // The errorType is recorded (DOC-RT, re:Post); its message text is UNVERIFIED.
  it('refuses a start whose id is already active with DuplicatedOperationError, and keeps the first', async () => {
    await subscribe(client, 'dup', 'subscription { onPutItem(id: "d") { id } }');
    const answer = await subscribe(client, 'dup', ON_ITEM);
    expect(answer.type).toBe('error');
    expect(answer.payload.errors[0].errorType).toBe('DuplicatedOperationError');
    harness.server.publish('putItem', { id: 'd', owner: 'o' });
    expect((await client.next((f) => f.type === 'data' && f.id === 'dup')).payload).toEqual({ data: { onPutItem: { id: 'd' } } });
    client.send({ type: 'stop', id: 'dup' });
    await client.next((f) => f.type === 'complete' && f.id === 'dup');
  });

  // Observed text is "unknown not supported…" for unreadable starts; the operation keyword in its place is UNVERIFIED.
  it.each([
    ['query', 'query { item(id: "1") { id } }'],
    ['mutation', 'mutation { deleteItem(id: "1") { id } }'],
  ])('answers a %s document with UnsupportedOperation', async (operation, query) => {
    expect(await subscribe(client, `op-${operation}`, query)).toEqual({
      type: 'error',
      id: `op-${operation}`,
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: `${operation} not supported through the realtime channel` }] },
    });
  });

  it.each([
    ['an unknown field', 'subscription { onNothing { id } }', {}, 'Cannot query field "onNothing" on type "Subscription".'],
    ['two root fields', 'subscription { onItemChange { id } onSecret { id } }', {}, 'must select only one top level field'],
    ['a syntax error', 'subscription { onItemChange { id }', {}, 'Syntax Error'],
    ['a variable of the wrong type', 'subscription ($id: ID) { onPutItem(id: $id) { id } }', { id: { not: 'an id' } }, 'Variable "$id"'],
    ['a missing required variable', 'subscription ($id: ID!) { onPutItem(id: $id) { id } }', {}, 'Variable "$id"'],
  ])('answers %s with the validation error, in the HTTP endpoint’s error shape [UNVERIFIED for the real-time channel]', async (_what, query, variables, message) => {
    const answer = await subscribe(client, 'invalid', query, variables);
    expect(answer.type).toBe('error');
    expect(answer.id).toBe('invalid');
    expect(answer.payload.errors[0]).toMatchObject({ errorType: null, path: null, message: expect.stringContaining(message) });
  });

  it.each([
    ['a text frame that is not JSON', 'not json'],
    ['JSON without a type', { id: 'x' }],
    ['an unknown type (graphql-transport-ws `subscribe`)', { id: 'x', type: 'subscribe', payload: { query: ON_ITEM } }],
  ])('answers %s with UnsupportedOperation and no id', async (_what, frame) => {
    const before = client.frames.length;
    client.send(frame);
    const answer = await client.next((f) => f.type === 'error', 5_000, before);
    expect(answer).toEqual({ type: 'error', payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'unknown not supported through the realtime channel' }] } });
  });

  it('answers a binary frame with UnsupportedOperation', async () => {
    const before = client.frames.length;
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await client.next((f) => f.type === 'error', 5_000, before)).payload.errors[0].errorType).toBe('UnsupportedOperation');
  });

  it.each([
    ['no payload.data (Apollo style)', { id: 's', type: 'start', payload: { query: ON_ITEM, variables: {} } }],
    ['data that is not JSON', { id: 's', type: 'start', payload: { data: '{nope', extensions: { authorization: { 'x-api-key': API_KEY } } } }],
    ['data without a query', { id: 's', type: 'start', payload: { data: '{"variables":{}}' } }],
    ['no id', { type: 'start', payload: { data: JSON.stringify({ query: ON_ITEM }) } }],
  ])('answers a start with %s with UnsupportedOperation and id ""', async (_what, frame) => {
    const before = client.frames.length;
    client.send(frame);
    expect(await client.next((f) => f.type === 'error', 5_000, before)).toEqual({
      type: 'error',
      id: '',
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'unknown not supported through the realtime channel' }] },
    });
  });

  it('answers a stop for an id it does not hold with an error for that id [UNVERIFIED text]', async () => {
    client.send({ type: 'stop', id: 'never-started' });
    const answer = await client.next((f) => f.id === 'never-started');
    expect(answer.type).toBe('error');
  });

  it('accepts a start without variables, and stays usable after every malformed frame above', async () => {
    client.send({ id: 'no-vars', type: 'start', payload: { data: JSON.stringify({ query: ON_ITEM }), extensions: { authorization: { 'x-api-key': API_KEY } } } });
    expect((await client.next((f) => f.id === 'no-vars')).type).toBe('start_ack');
    harness.server.publish('deleteItem', { id: 'gone', name: null });
    expect((await client.next((f) => f.type === 'data' && f.id === 'no-vars')).payload.data).toEqual({ onItemChange: { id: 'gone', name: null } });
  });
});

describe('the subscription limit per connection', () => {
  it('allows 100 subscriptions and answers the 101st with MaxSubscriptionsReachedError; a stop frees a place', async () => {
    const client = await connected(harness);
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => subscribe(client, `s${i}`, ON_ITEM)));
    expect(acks.every((f) => f.type === 'start_ack')).toBe(true);
    // Reference §2.4: observed with `errors` as an object, not a list.
    expect(await subscribe(client, 's100', ON_ITEM)).toEqual({
      type: 'error',
      id: 's100',
      payload: { errors: { errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 100 subscriptions reached' } },
    });
    client.send({ type: 'stop', id: 's0' });
    await client.next((f) => f.type === 'complete' && f.id === 's0');
    expect((await subscribe(client, 's101', ON_ITEM)).type).toBe('start_ack');
    client.close();
  });

  it('counts starts still being authorized against the limit', async () => {
    const small = await startHarness({ maxSubscriptionsPerConnection: 2 });
    const client = await connected(small);
    client.send(startFrame('p1', ON_ITEM));
    client.send(startFrame('p2', ON_ITEM));
    client.send(startFrame('p3', ON_ITEM));
    const answers = await Promise.all(['p1', 'p2', 'p3'].map((id) => client.next((f) => f.id === id)));
    expect(answers.map((f) => f.type)).toEqual(['start_ack', 'start_ack', 'error']);
    expect(answers[2]!.payload.errors.message).toBe('Max number of 2 subscriptions reached');
    client.close();
    await small.close();
  });
});
