import { afterEach, describe, expect, it } from 'vitest';
import { createLiveMarkets, describeConnection, type LiveMarkets, type LiveMarketsChange, type LiveTransport, type PriceUpdate, type TransportSink } from '../../../sdk/live-markets/index.ts';
import { ManualClock, marketInfo, publication } from './live-markets-fixtures.ts';

/** The live state end to end over a fake transport (an in-memory API) and a manual clock. */

class FakeApi implements LiveTransport {
  sink: TransportSink | undefined;
  opened = 0;
  dropped = 0;
  reachable = true;
  history = new Map<string, PriceUpdate[]>();
  reads: string[] = [];

  publish(marketId: string, version: number, deliver = true): PriceUpdate {
    const list = this.history.get(marketId) ?? [];
    const update = publication(marketId, version, list.at(-1)?.version ?? null);
    list.push(update);
    this.history.set(marketId, list);
    if (deliver) this.sink?.price(update);
    return update;
  }
  open(sink: TransportSink) {
    this.opened += 1;
    this.sink = sink;
  }
  async drop() {
    this.dropped += 1;
    this.sink = undefined;
  }
  async probe() {
    if (!this.reachable) throw new Error('probe: connect ECONNREFUSED');
  }
  async snapshot() {
    this.reads.push('events');
    if (!this.reachable) throw new Error('events: connect ECONNREFUSED');
    const markets = [...this.history.keys()].map((id) => marketInfo(id, this.history.get(id)!.at(-1)!.version));
    return { items: [{ id: 'evt-1', name: 'Harbour City v Rivertown', sport: 'football', startTime: '2026-12-03T15:00:00.000Z', status: 'LIVE' as const, markets }], nextToken: null };
  }
  async market(id: string) {
    this.reads.push(`market ${id}`);
    const list = this.history.get(id);
    return list ? marketInfo(id, list.at(-1)!.version) : null;
  }
  async event(id: string) {
    this.reads.push(`event ${id}`);
    return null;
  }
  async priceHistory(marketId: string, since: string | null) {
    this.reads.push(`history ${marketId} since ${since?.slice(11, 19) ?? 'start'}`);
    const items = (this.history.get(marketId) ?? []).filter((u) => since === null || u.publishedAt >= since);
    return { items, nextToken: null };
  }
  close() {}
}

let live: LiveMarkets | undefined;
afterEach(() => live?.stop());

function start(api: FakeApi, clock: ManualClock, onForeground?: (cb: () => void) => () => void) {
  const changes: LiveMarketsChange[] = [];
  live = createLiveMarkets({ transport: api, clock, ...(onForeground && { onForeground }) });
  live.subscribe((c) => changes.push(c));
  return changes;
}

async function connect(api: FakeApi, clock: ManualClock) {
  await clock.advance(1);
  api.sink!.ready();
  await clock.advance(1);
}

describe('live markets over a fake API', () => {
  it('subscribes first, then reads the snapshot and each market from its last change; live until silent', async () => {
    const api = new FakeApi();
    api.publish('m1', 1);
    api.publish('m1', 2);
    const clock = new ManualClock();
    const changes = start(api, clock);
    await clock.advance(1);
    expect([api.opened, api.reads]).toEqual([1, []]);
    api.sink!.ready();
    await clock.advance(1);
    expect(api.reads).toEqual(['events', 'history m1 since 12:00:02']);
    expect(live!.connection()).toEqual({ kind: 'live' });
    expect(live!.market('m1')).toMatchObject({ name: 'Market m1', price: { version: 2 }, liveness: { kind: 'live' } });
    expect(live!.events().map((e) => e.id)).toEqual(['evt-1']);

    api.publish('m1', 3);
    expect(changes.filter((c) => c.type === 'applied').map((c) => c.type === 'applied' && [c.version, c.via])).toEqual([
      [2, 'catch-up'],
      [3, 'live'],
    ]);
    await clock.advance(8_000);
    expect(live!.connection()).toEqual({ kind: 'live' });
    await clock.advance(2);
    expect(live!.connection().kind).not.toBe('live');
    expect(live!.market('m1')!.liveness.kind).toBe('stale');
    expect(api.dropped).toBe(1);
  });

  it('fills a gap from priceHistory and reports every version it applied', async () => {
    const api = new FakeApi();
    api.publish('m1', 1);
    const clock = new ManualClock();
    const changes = start(api, clock);
    await connect(api, clock);
    api.publish('m1', 2, false);
    api.publish('m1', 3, false);
    api.publish('m1', 4);
    expect(live!.market('m1')!.liveness.kind).toBe('catching-up');
    await clock.advance(1);
    expect(live!.market('m1')).toMatchObject({ price: { version: 4 }, liveness: { kind: 'live' } });
    const versions = changes.flatMap((c) => (c.type === 'applied' ? [c.version] : []));
    expect(versions).toEqual([1, 2, 3, 4]);
  });

  it('catches up a market the heartbeat shows behind, even when it is quiet', async () => {
    const api = new FakeApi();
    api.publish('m1', 1);
    const clock = new ManualClock();
    start(api, clock);
    await connect(api, clock);
    api.publish('m1', 2, false);
    api.sink!.heartbeat({ at: new Date(clock.now()).toISOString(), intervalSeconds: 3, markets: [{ marketId: 'm1', eventId: 'evt-1', version: 2 }] });
    await clock.advance(1);
    expect(live!.market('m1')!.price!.version).toBe(2);
  });

  it('shows a new event and a new market as they arrive', async () => {
    const api = new FakeApi();
    api.publish('m1', 1);
    const clock = new ManualClock();
    const changes = start(api, clock);
    await connect(api, clock);
    api.sink!.event({ id: 'evt-2', name: 'New match', sport: 'football', startTime: '2026-12-03T18:00:00.000Z', status: 'SCHEDULED', updatedAt: '2026-12-03T12:00:00.000Z' });
    api.publish('m2', 1);
    await clock.advance(1);
    expect(changes.some((c) => c.type === 'event' && c.event.id === 'evt-2')).toBe(true);
    expect(api.reads).toContain('market m2');
    expect(live!.market('m2')).toMatchObject({ name: 'Market m2', price: { version: 1 }, liveness: { kind: 'live' } });
  });

  it('when the link dies: stale, probes while offline, reconnects and catches up what it missed', async () => {
    const api = new FakeApi();
    api.publish('m1', 1);
    const clock = new ManualClock();
    const changes = start(api, clock);
    await connect(api, clock);
    api.reachable = false;
    const sink = api.sink!;
    sink.down('the real-time connection closed');
    api.publish('m1', 2, false);
    await clock.advance(2_500);
    expect(describeConnection(live!.connection())).toMatch(/^offline · prices stale since \d\d:\d\d:\d\d$/);
    expect(live!.market('m1')!.liveness.kind).toBe('stale');
    api.reachable = true;
    await clock.advance(1_000);
    expect(api.opened).toBe(2);
    api.sink!.ready();
    await clock.advance(1);
    expect(live!.connection()).toEqual({ kind: 'live' });
    expect(live!.market('m1')).toMatchObject({ price: { version: 2 }, liveness: { kind: 'live' } });
    expect(changes.flatMap((c) => (c.type === 'applied' ? [c.version] : []))).toEqual([1, 2]);
    // The dropped connection's state means nothing now; a publication it still brings is applied by version.
    sink.down('late news of the old socket');
    sink.price(publication('m1', 3, 2));
    expect(live!.connection()).toEqual({ kind: 'live' });
    expect(live!.market('m1')!.price!.version).toBe(3);
  });

  it('re-reads on a return to the foreground', async () => {
    const api = new FakeApi();
    api.publish('m1', 1);
    const clock = new ManualClock();
    let foreground = () => {};
    start(api, clock, (cb) => {
      foreground = cb;
      return () => {};
    });
    await connect(api, clock);
    api.publish('m1', 2, false);
    foreground();
    await clock.advance(1);
    expect(live!.market('m1')!.price!.version).toBe(2);
  });
});
