import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connected, startFrame, startHarness, subscribe, testEngine, type Frame, type RawClient } from './harness.ts';

const filterArg = (filter: unknown) => JSON.stringify(filter);
const eq = (fieldName: string, value: unknown) => ({ filterGroup: [{ filters: [{ fieldName, operator: 'eq', value }] }] });

/** Frames of one subscription id received from index `from` on. */
const dataFor = (client: RawClient, id: string, from = 0) => client.frames.slice(from).filter((f) => f.type === 'data' && f.id === id);

describe('payloads', () => {
  it('drops a payload over maxPayloadBytes for its subscribers and logs it; the publisher is not told', async () => {
    const harness = await startHarness({ maxPayloadBytes: 300 });
    const client = await connected(harness);
    await subscribe(client, 'p', 'subscription { onItemChange { id name } }');
    harness.server.publish('putItem', { id: 'big', name: 'x'.repeat(400), owner: 'o' });
    harness.server.publish('putItem', { id: 'small', name: 'ok', owner: 'o' });
    const frame = await client.next((f) => f.type === 'data');
    expect(frame.payload.data.onItemChange.id).toBe('small');
    expect(dataFor(client, 'p')).toHaveLength(1);
    expect(harness.logs.find((l) => l.event === 'payload-too-large')!.detail).toMatchObject({ subscriptionField: 'onItemChange', mutationField: 'putItem', limit: 300 });
    client.close();
    await harness.close();
  });

  it('defaults the payload limit to 240 KB', async () => {
    const harness = await startHarness();
    const client = await connected(harness);
    await subscribe(client, 'p', 'subscription { onItemChange { name } }');
    const envelope = JSON.stringify({ data: { onItemChange: { name: '' } } }).length;
    harness.server.publish('putItem', { id: '1', name: 'a'.repeat(240 * 1024 - envelope + 1), owner: 'o' });
    harness.server.publish('putItem', { id: '2', name: 'b'.repeat(240 * 1024 - envelope), owner: 'o' });
    const frame = await client.next((f) => f.type === 'data');
    expect(frame.payload.data.onItemChange.name[0]).toBe('b');
    expect(dataFor(client, 'p')).toHaveLength(1);
    client.close();
    await harness.close();
  });
});

describe('filters set by the subscription resolver', () => {
  it('delivers by the enhanced filter and ignores the arguments (basic filtering is off)', async () => {
    const harness = await startHarness();
    const client = await connected(harness);
    const ack = await subscribe(client, 'f', 'subscription ($f: AWSJSON) { onFilteredItem(filter: $f) { id group } }', { f: filterArg(eq('group', 'g1')) });
    expect(ack.type).toBe('start_ack');
    harness.server.publish('putItem', { id: '1', group: 'g2', owner: 'o' });
    harness.server.publish('putItem', { id: '2', group: 'g1', owner: 'o' });
    expect((await client.next((f) => f.type === 'data')).payload.data).toEqual({ onFilteredItem: { id: '2', group: 'g1' } });
    expect(dataFor(client, 'f')).toHaveLength(1);
    client.close();
    await harness.close();
  });

  it.each([
    ['11 filter groups', { filterGroup: Array.from({ length: 11 }, (_, i) => ({ filters: [{ fieldName: 'id', operator: 'eq', value: String(i) }] })) }, 'Filters combination exceed maximum limit 10 for subscription.'],
    ['6 rules in a group', { filterGroup: [{ filters: ['id', 'name', 'group', 'owner', 'count', 'price'].map((fieldName) => ({ fieldName, operator: 'eq', value: 1 })) }] }, 'Filters exceed maximum attributes limit'],
    ['a repeated fieldName', { filterGroup: [{ filters: [{ fieldName: 'id', operator: 'gt', value: 1 }, { fieldName: 'id', operator: 'lt', value: 9 }] }] }, 'subscription filter uses same fieldName multiple time'],
  ])('refuses %s at start with AppSync’s message', async (_what, filter, message) => {
    const harness = await startHarness();
    const client = await connected(harness);
    const answer = await subscribe(client, 'bad', 'subscription ($f: AWSJSON) { onFilteredItem(filter: $f) { id } }', { f: filterArg(filter) });
    expect(answer.type).toBe('error');
    expect(answer.payload.errors[0].errorType).toBe('BadRequestException');
    expect(answer.payload.errors[0].message).toContain(message);
    expect(harness.server.stats().subscriptions).toBe(0);
    client.close();
    await harness.close();
  });
});

// The wire message of an invalidation is UNVERIFIED (docs/reference/appsync-realtime.md §3.6): `complete` for the id, the socket left open.
describe('invalidation', () => {
  it('ends the subscriptions whose invalidation filter matches the payload with complete, and delivers nothing more to them', async () => {
    const harness = await startHarness();
    const client = await connected(harness, true);
    // The resolver sets an enhanced filter (any owner) and an invalidation filter on `group`.
    const query = 'subscription ($f: AWSJSON, $i: AWSJSON) { onFilteredItem(filter: $f, invalidation: $i) { id } }';
    const anyOwner = filterArg({ filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'ne', value: null }] }] });
    await subscribe(client, 'g1', query, { f: anyOwner, i: filterArg(eq('group', 'g1')) });
    await subscribe(client, 'g2', query, { f: anyOwner, i: filterArg(eq('group', 'g2')) });
    await subscribe(client, 'none', 'subscription { onItemChange { id } }');

    harness.server.invalidate('onFilteredItem', { group: 'g1' });
    expect(await client.next((f) => f.type === 'complete')).toEqual({ type: 'complete', id: 'g1' });
    expect(harness.server.stats().subscriptions).toBe(2);

    const from = client.frames.length;
    harness.server.publish('putItem', { id: 'after', owner: 'o' });
    await client.next((f) => f.type === 'data' && f.id === 'g2', 5_000, from);
    await client.next((f) => f.type === 'data' && f.id === 'none', 5_000, from);
    expect(dataFor(client, 'g1')).toEqual([]);
    // The invalidated id is free again.
    expect((await subscribe(client, 'g1', query, { f: anyOwner })).type).toBe('start_ack');
    client.close();
    await harness.close();
  });

  it('leaves subscriptions without a matching invalidation filter, and other fields, alone', async () => {
    const harness = await startHarness();
    const client = await connected(harness);
    await subscribe(client, 'keep', 'subscription ($f: AWSJSON, $i: AWSJSON) { onFilteredItem(filter: $f, invalidation: $i) { id } }', {
      f: filterArg(eq('owner', 'o')),
      i: filterArg(eq('group', 'g1')),
    });
    harness.server.invalidate('onFilteredItem', { group: 'other' });
    harness.server.invalidate('onItemChange', { group: 'g1' });
    harness.server.publish('putItem', { id: 'still', owner: 'o' });
    await client.next((f) => f.type === 'data' && f.id === 'keep');
    expect(client.frames.some((f) => f.type === 'complete')).toBe(false);
    client.close();
    await harness.close();
  });
});

describe('fan-out', () => {
  it('groups subscribers by field, normalized selection set and filter, and renders once per group', async () => {
    const harness = await startHarness();
    const a = await connected(harness);
    const b = await connected(harness);
    // Same payload shape written three ways (fragment, inline, reordered whitespace) → one group.
    await subscribe(a, 'x1', 'subscription { onPutItem(id: "1") { ...F } } fragment F on Item { id name }');
    await subscribe(a, 'x2', 'subscription { onPutItem(id: "1") { ... on Item { id name } } }');
    await subscribe(b, 'x3', 'subscription{onPutItem(id:"1"){id name}}');
    await subscribe(b, 'y', 'subscription { onPutItem(id: "2") { id name } }');
    await subscribe(b, 'z', 'subscription { renamed: onPutItem(id: "1") { id } }');
    expect(harness.server.stats()).toMatchObject({ connections: 2, subscriptions: 5, groups: 3 });

    harness.server.publish('putItem', { id: '1', name: 'one', owner: 'o' });
    const frames = await Promise.all([a.next((f) => f.id === 'x1' && f.type === 'data'), a.next((f) => f.id === 'x2' && f.type === 'data'), b.next((f) => f.id === 'x3' && f.type === 'data'), b.next((f) => f.id === 'z' && f.type === 'data')]);
    expect(frames.map((f: Frame) => f.payload.data)).toEqual([
      { onPutItem: { id: '1', name: 'one' } },
      { onPutItem: { id: '1', name: 'one' } },
      { onPutItem: { id: '1', name: 'one' } },
      { renamed: { id: '1' } },
    ]);
    expect(dataFor(b, 'y')).toEqual([]);
    a.close();
    b.close();
    await harness.close();
  });

  it('sends each socket its frames in publication order', async () => {
    const harness = await startHarness();
    const client = await connected(harness);
    await subscribe(client, 'o1', 'subscription { onItemChange { id } }');
    await subscribe(client, 'o2', 'subscription { onPutItem { id } }');
    for (let i = 0; i < 50; i++) harness.server.publish('putItem', { id: String(i), owner: 'o' });
    await client.next(() => dataFor(client, 'o1').length === 50 && dataFor(client, 'o2').length === 50);
    for (const id of ['o1', 'o2']) {
      expect(dataFor(client, id).map((f) => Object.values(f.payload.data as Record<string, { id: string }>)[0]!.id)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    }
    client.close();
    await harness.close();
  });
});

describe('back-pressure', () => {
  it('delivers a publication whole to a reading socket even when its frames together exceed the cap', async () => {
    const harness = await startHarness({ slowConsumer: { maxBufferedBytes: 16 * 1024, maxLagMs: 60_000 } });
    const client = await connected(harness);
    const ids = Array.from({ length: 10 }, (_, i) => `w${i}`);
    for (const id of ids) await subscribe(client, id, 'subscription { onItemChange { id name } }');
    const name = 'w'.repeat(20 * 1024); // 10 frames of 20 KB per publication against a 16 KB cap
    for (let round = 0; round < 5; round++) {
      const from = client.frames.length;
      harness.server.publish('putItem', { id: String(round), name, owner: 'o' });
      await client.next(() => client.frames.slice(from).filter((f) => f.type === 'data').length === ids.length);
    }
    for (const id of ids) expect(dataFor(client, id)).toHaveLength(5);
    expect(harness.server.stats().droppedFrames).toBe(0);
    client.close();
    await harness.close();
  });

  it('drops frames for a socket that does not read, terminates it after maxLagMs, and never stalls a reading socket', async () => {
    const maxBufferedBytes = 64 * 1024;
    const harness = await startHarness({ slowConsumer: { maxBufferedBytes, maxLagMs: 300 } });
    const fast = await connected(harness);
    const slow = await connected(harness);
    await subscribe(fast, 'fast', 'subscription { onItemChange { id name } }');
    await subscribe(slow, 'slow', 'subscription { onItemChange { id name } }');
    slow.socket.pause(); // stops reading: the kernel buffers fill, then the server's

    const name = 'n'.repeat(100 * 1024);
    let published = 0;
    // Lock-step with the reading client, so only the paused one can fall behind.
    while (harness.server.stats().slowConsumersTerminated === 0) {
      if (published > 5_000) throw new Error(`the slow consumer was never terminated: ${JSON.stringify(harness.server.stats())}`);
      const from = fast.frames.length;
      harness.server.publish('putItem', { id: String(published), name, owner: 'o' });
      published++;
      await fast.next((f) => f.type === 'data', 5_000, from);
    }
    expect(dataFor(fast, 'fast').map((f) => f.payload.data.onItemChange.id)).toEqual(Array.from({ length: published }, (_, i) => String(i)));
    expect(harness.server.stats().droppedFrames).toBeGreaterThan(0);
    expect(harness.logs.map((l) => l.event)).toEqual(expect.arrayContaining(['slow-consumer', 'slow-consumer-terminated']));
    slow.socket.resume(); // to read up to the end of the stream the server cut
    expect((await slow.closed).code).toBe(1006);
    fast.close();
    await harness.close();
  });
});

describe('a start racing a stop or a close', () => {
  it('answers a stop that arrives while the start is still being authorized with complete, and never registers it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const engine = testEngine({ startSubscription: async () => (await gate, { ok: true }) });
    const harness = await startHarness({ engine });
    const client = await connected(harness);
    client.send(startFrame('slow-start', 'subscription { onItemChange { id } }'));
    await expect.poll(() => engine.calls.some((c) => c.kind === 'startSubscription')).toBe(true);
    client.send({ type: 'stop', id: 'slow-start' });
    expect(await client.next((f) => f.id === 'slow-start')).toEqual({ type: 'complete', id: 'slow-start' });
    release();
    await subscribe(client, 'probe', 'subscription { onItemChange { id } }');
    expect(client.frames.filter((f) => f.id === 'slow-start')).toEqual([{ type: 'complete', id: 'slow-start' }]);
    expect(harness.server.stats().subscriptions).toBe(1);
    client.close();
    await harness.close();
  });

  it('registers nothing for a start whose connection closed while it was pending', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const engine = testEngine({ startSubscription: async () => (await gate, { ok: true }) });
    const harness = await startHarness({ engine });
    const client = await connected(harness);
    client.send(startFrame('orphan', 'subscription { onItemChange { id } }'));
    await expect.poll(() => engine.calls.some((c) => c.kind === 'startSubscription')).toBe(true);
    client.close();
    await expect.poll(() => harness.server.stats().connections).toBe(0);
    release();
    await new Promise((r) => setImmediate(r));
    expect(harness.server.stats().subscriptions).toBe(0);
    await harness.close();
  });

  it('answers an engine that throws with an InternalFailure error, and stays up', async () => {
    const engine = testEngine({ startSubscription: async () => Promise.reject(new Error('resolver exploded')) });
    const harness = await startHarness({ engine });
    const client = await connected(harness);
    const answer = await subscribe(client, 'boom', 'subscription { onItemChange { id } }');
    expect(answer.payload.errors[0]).toMatchObject({ errorType: 'InternalFailure', message: expect.stringContaining('resolver exploded') });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.close();
    await harness.close();
  });
});
