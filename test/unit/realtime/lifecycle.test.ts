import { describe, expect, it } from 'vitest';
import { apiKeyHeader, connected, openRaw, startHarness, subprotocolFor, subscribe } from './harness.ts';

describe('keep-alive', () => {
  it('sends ka right after connection_ack and then every keepAliveMs, with nothing else in between', async () => {
    const harness = await startHarness({ keepAliveMs: 40 });
    const client = await connected(harness, true);
    await client.next(() => client.frames.filter((f) => f.type === 'ka').length >= 4, 5_000);
    expect(client.frames[0]).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } });
    expect(client.frames.slice(1, 5)).toEqual([{ type: 'ka' }, { type: 'ka' }, { type: 'ka' }, { type: 'ka' }]);
    client.close();
    await harness.close();
  });

  it('announces the configured connectionTimeoutMs in the ack', async () => {
    const harness = await startHarness({ connectionTimeoutMs: 12_345 });
    const client = await connected(harness);
    expect(client.frames[0]).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 12_345 } });
    client.close();
    await harness.close();
  });

  it('sends no ka to a connection that has not been acknowledged', async () => {
    const harness = await startHarness({ keepAliveMs: 20 });
    const idle = await openRaw(harness.url(false), { protocols: subprotocolFor(apiKeyHeader(harness.port)) });
    // Another connection's keep-alives mark the passing of several intervals.
    const other = await connected(harness);
    await other.next(() => other.frames.filter((f) => f.type === 'ka').length >= 4);
    expect(idle.frames).toEqual([]);
    idle.close();
    other.close();
    await harness.close();
  });
});

describe('connection lifetime', () => {
  // AppSync's close code is UNVERIFIED; Amplify reconnects on any close.
  it('closes a connection when its lifetime ends, subscriptions and all; the client may reconnect', async () => {
    const harness = await startHarness({ maxConnectionLifetimeMs: 300 });
    const client = await connected(harness, true);
    expect((await subscribe(client, 'l1', 'subscription { onItemChange { id } }')).type).toBe('start_ack');
    expect(await client.closed).toEqual({ code: 1000, reason: 'Connection lifetime reached' });
    expect(harness.logs.some((l) => l.event === 'connection-lifetime-reached')).toBe(true);
    await expect.poll(() => harness.server.stats()).toMatchObject({ connections: 0, subscriptions: 0 });
    const again = await connected(harness, true);
    expect(again.frames[0]!.type).toBe('connection_ack');
    again.close();
    await harness.close();
  });
});

describe('server close', () => {
  it('ends every connection and refuses new upgrades', async () => {
    const harness = await startHarness();
    const client = await connected(harness);
    await harness.server.close();
    expect((await client.closed).code).toBe(1006);
    await expect(openRaw(harness.url(false), { protocols: ['graphql-ws'] })).rejects.toThrow();
    await harness.close();
  });
});
