import { describe, expect, it } from 'vitest';
import { completeCatchUp, createStore, noteHeartbeat, noteMarketInfo, offerUpdate } from '../../../sdk/live-markets/store.ts';
import { marketInfo, publication } from './live-markets-fixtures.ts';

/** The store's version rules: chain by previousVersion, ignore the old, catch up gaps, never skip silently. */

function storeHolding(marketId: string, version: number) {
  const store = createStore();
  noteMarketInfo(store, marketInfo(marketId, version));
  completeCatchUp(store, marketId, [publication(marketId, version, version - 1)]);
  return store;
}

describe('live market store', () => {
  it('applies publications that chain on the held version and ignores old and repeated ones', () => {
    const store = storeHolding('m', 5);
    expect(offerUpdate(store, publication('m', 6, 5))).toEqual({ kind: 'applied' });
    expect(offerUpdate(store, publication('m', 6, 5))).toEqual({ kind: 'old' });
    expect(offerUpdate(store, publication('m', 4, 3))).toEqual({ kind: 'old' });
    expect(store.markets.get('m')!.price!.version).toBe(6);
  });

  it('takes a version jump whose previousVersion it holds as no gap (conflated versions were never published)', () => {
    const store = storeHolding('m', 5);
    expect(offerUpdate(store, publication('m', 9, 5))).toEqual({ kind: 'applied' });
  });

  it('reports a gap when previousVersion is above the held version, buffers meanwhile, and fills it from history', () => {
    const store = storeHolding('m', 5);
    expect(offerUpdate(store, publication('m', 9, 7))).toEqual({ kind: 'gap', held: 5 });
    expect(offerUpdate(store, publication('m', 10, 9))).toEqual({ kind: 'buffered' });
    const applied = completeCatchUp(store, 'm', [publication('m', 9, 7), publication('m', 5, 4), publication('m', 7, 5)]);
    expect(applied.map((a) => [a.version, a.via])).toEqual([
      [7, 'catch-up'],
      [9, 'catch-up'],
      [10, 'live'],
    ]);
    expect(store.markets.get('m')).toMatchObject({ catchingUp: false, buffered: [] });
    expect(offerUpdate(store, publication('m', 11, 10))).toEqual({ kind: 'applied' });
  });

  it('says which versions it skipped when history cannot reach back to what it held', () => {
    const store = storeHolding('m', 5);
    offerUpdate(store, publication('m', 9, 7));
    const applied = completeCatchUp(store, 'm', [publication('m', 9, 7)]);
    expect(applied).toEqual([{ marketId: 'm', version: 9, previousVersion: 7, via: 'resync', skipped: { after: 5, before: 9 } }]);
  });

  it('starts an unknown market from the newest publication read', () => {
    const store = createStore();
    expect(offerUpdate(store, publication('new', 3, 2))).toEqual({ kind: 'unknown-market' });
    noteMarketInfo(store, marketInfo('new', 3));
    const applied = completeCatchUp(store, 'new', [publication('new', 2, 1), publication('new', 3, 2)]);
    expect(applied.map((a) => a.version)).toEqual([3]);
    expect(store.markets.get('new')!.price!.version).toBe(3);
  });

  it('reads a market whose own version is ahead of what it holds as behind', () => {
    const store = storeHolding('m', 5);
    expect(noteMarketInfo(store, marketInfo('m', 5))).toBe(false);
    expect(noteMarketInfo(store, marketInfo('m', 6))).toBe(true);
  });

  it('marks markets a heartbeat shows behind, and lists the ones it does not know', () => {
    const store = storeHolding('m', 5);
    expect(noteHeartbeat(store, [{ marketId: 'm', version: 5 }])).toEqual({ behind: [], unknown: [] });
    expect(noteHeartbeat(store, [{ marketId: 'm', version: 6 }, { marketId: 'x', version: 1 }])).toEqual({ behind: ['m'], unknown: ['x'] });
    expect(store.markets.get('m')).toMatchObject({ catchingUp: true, announced: 6 });
  });
});
