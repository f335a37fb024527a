import { describe, expect, it } from 'vitest';
import { HEARTBEAT_BOUND_MS, MarketFreshness } from '../../../web/src/board/market-freshness.ts';

const T0 = Date.parse('2026-12-03T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const beat = (at: number, markets: Record<string, number>) => ({ at: iso(at), intervalSeconds: 3, markets: Object.entries(markets).map(([marketId, version]) => ({ marketId, eventId: 'e', version })) });

describe('MarketFreshness', () => {
  it('keeps a market live while heartbeats confirm the version shown, and stale from its last confirmation once the bound passes', () => {
    const f = new MarketFreshness(T0);
    expect(f.heartbeat(beat(T0 + 1000, { m: 5 }), T0 + 1000, new Map([['m', 5]]))).toEqual([]);
    expect(f.freshness('m', T0 + 1000 + HEARTBEAT_BOUND_MS)).toEqual({ state: 'live' });
    expect(f.freshness('m', T0 + 1001 + HEARTBEAT_BOUND_MS)).toEqual({ state: 'stale', since: iso(T0 + 1000) });
  });

  it('reports a market the heartbeat names at a newer version as missed and catching up, until a read shows it', () => {
    const f = new MarketFreshness(T0);
    f.confirm('m', T0, 5);
    expect(f.heartbeat(beat(T0 + 3000, { m: 7 }), T0 + 3000, new Map([['m', 5]]))).toEqual(['m']);
    expect(f.freshness('m', T0 + 3000)).toEqual({ state: 'catching-up', since: iso(T0) });
    f.confirm('m', T0 + 3200, 7);
    expect(f.freshness('m', T0 + 3300)).toEqual({ state: 'live' });
  });

  it('confirms a market the heartbeat does not list (settled: nothing more will be published)', () => {
    const f = new MarketFreshness(T0);
    f.heartbeat(beat(T0 + 9000, {}), T0 + 9000, new Map([['settled', 3]]));
    expect(f.freshness('settled', T0 + 9500)).toEqual({ state: 'live' });
  });

  it("counts a confirmation from the server's time plus the quickest delivery seen, not from a late arrival", () => {
    const f = new MarketFreshness(T0);
    f.heartbeat(beat(T0, { m: 1 }), T0 + 50, new Map([['m', 1]]));
    // A beat sent at +3 s that a slow link delivers 2 s late confirms +3.05 s, not +5 s.
    f.heartbeat(beat(T0 + 3000, { m: 1 }), T0 + 5000, new Map([['m', 1]]));
    expect(f.freshness('m', T0 + 3050 + HEARTBEAT_BOUND_MS + 1)).toEqual({ state: 'stale', since: iso(T0 + 3050) });
    expect(f.localTime(iso(T0 + 4000), T0 + 4010)).toBe(T0 + 4010);
  });

  it('calls a link dead only after it carried something and then nothing for longer than the bound', () => {
    const f = new MarketFreshness(T0);
    expect(f.linkDead(T0 + 60_000)).toBe(false);
    f.heard(T0);
    expect(f.linkDead(T0 + HEARTBEAT_BOUND_MS)).toBe(false);
    expect(f.linkDead(T0 + HEARTBEAT_BOUND_MS + 1)).toBe(true);
  });

  it("shows the first read as stale from the page's opening when nothing ever confirms it", () => {
    const f = new MarketFreshness(T0);
    expect(f.freshness('m', T0 + HEARTBEAT_BOUND_MS + 1)).toEqual({ state: 'stale', since: iso(T0) });
  });
});
