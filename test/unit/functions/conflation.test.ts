import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { MarketItem } from '../../../functions/domain/market/market.ts';
import { chainStep, parseConflationWindow, planCandidates, publicationDelayMs, type LastPublication, type MarketChange } from '../../../functions/domain/pricing/conflation.ts';
import type { PriceUpdate } from '../../../functions/domain/pricing/price-update.ts';
import { processMarketRecords } from '../../../functions/price-engine/process-records.ts';
import { createLogger } from '../../../functions/shared/logger.ts';
import type { DynamoDBStreamRecord } from '../../../functions/shared/stream-event.ts';

const market = (id: string, version: number, p: number, extra: Partial<MarketItem> = {}): MarketItem => ({
  id,
  eventId: 'e1',
  name: id,
  status: 'OPEN',
  margin: 0.05,
  version,
  selections: [{ id: 'a', name: 'A', probability: p }, { id: 'b', name: 'B', probability: 1 - p }],
  updatedAt: new Date(Date.UTC(2026, 11, 3, 9, 0, 0, version)).toISOString(),
  ...extra,
});
let seq = 0;
const change = (old: MarketItem | undefined, next: MarketItem): MarketChange => ({ sequenceNumber: String((seq += 1)).padStart(6, '0'), old, market: next });

describe('planCandidates', () => {
  const m1v1 = market('m1', 1, 0.5);
  const m1v2 = market('m1', 2, 0.6);
  const m1v3 = market('m1', 3, 0.6, { name: 'renamed' });
  const m2v5 = market('m2', 5, 0.3);
  const changes = [change(undefined, m1v1), change(m1v1, m1v2), change(undefined, m2v5), change(m1v2, m1v3)];

  it('without conflation: every repricing change of each market, in order; names-only changes publish nothing', () => {
    const plan = planCandidates(changes, false);
    expect([...plan].map(([id, cs]) => [id, cs.map((c) => c.change.market.version)])).toEqual([['m1', [1, 2]], ['m2', [5]]]);
  });

  it('with conflation: one candidate per market, its latest state, failing back to its first record', () => {
    const plan = planCandidates(changes, true);
    expect([...plan].map(([id, cs]) => [id, cs.map((c) => [c.change.market.version, c.why, c.retryFrom])])).toEqual([
      ['m1', [[3, 'new market, probabilities', changes[0]!.sequenceNumber]]],
      ['m2', [[5, 'new market', changes[2]!.sequenceNumber]]],
    ]);
  });

  it('with conflation: a market whose changes move no price has no candidate; a trailing unpriceable state falls back to the latest priced one', () => {
    expect(planCandidates([change(m1v2, m1v3)], true).size).toBe(0);
    const cleared = market('m1', 4, 0.5, { selections: [{ id: 'x', name: 'X' }] });
    const plan = planCandidates([change(m1v1, m1v2), change(m1v3, cleared)], true);
    expect(plan.get('m1')!.map((c) => c.change.market.version)).toEqual([2]);
  });
});

describe('publicationDelayMs, chainStep, parseConflationWindow', () => {
  it('waits out the rest of the window after the last publication; never with the window off or no publication yet', () => {
    expect(publicationDelayMs(1_000, 900, 250)).toBe(150);
    expect(publicationDelayMs(1_000, 700, 250)).toBe(0);
    expect(publicationDelayMs(1_000, undefined, 250)).toBe(0);
    expect(publicationDelayMs(1_000, 999, 0)).toBe(0);
  });

  it('chains each version to the last recorded one, republishes an undelivered one unchanged, skips older ones', () => {
    const last: LastPublication = { version: 7, previousVersion: 4, delivered: true, publishedAtMs: 0 };
    expect(chainStep(undefined, 3)).toEqual({ kind: 'publish', previousVersion: null });
    expect(chainStep(last, 9)).toEqual({ kind: 'publish', previousVersion: 7 });
    expect(chainStep(last, 7)).toMatchObject({ kind: 'skip' });
    expect(chainStep(last, 6)).toMatchObject({ kind: 'skip', why: 'version 6 is not newer than the last published version 7' });
    expect(chainStep({ ...last, delivered: false }, 7)).toEqual({ kind: 'republish', previousVersion: 4 });
  });

  it('reads PRICE_CONFLATION_WINDOW_MS: default 250, 0 = off, whole ms up to 10 s', () => {
    expect(parseConflationWindow(undefined)).toBe(250);
    expect(parseConflationWindow('')).toBe(250);
    expect(parseConflationWindow('0')).toBe(0);
    expect(parseConflationWindow('1000')).toBe(1000);
    for (const bad of ['-1', '2.5', 'abc', '10001']) expect(() => parseConflationWindow(bad), bad).toThrow(/PRICE_CONFLATION_WINDOW_MS must be whole milliseconds/);
  });
});

/**
 * processMarketRecords with its storage and clock in memory: a virtual clock that `sleep`
 * advances, so a burst of 500 changes a second is simulated exactly, batch by batch.
 */
function memoryEngine(windowMs: number, publishMs: (version: number) => number = () => 0) {
  let now = 1_000_000;
  const markets = new Map<string, MarketItem>();
  const publications = new Map<string, LastPublication>();
  const published: (PriceUpdate & { atMs: number })[] = [];
  const history: PriceUpdate[] = [];
  const deps = {
    windowMs,
    lastPublication: async (id: string) => publications.get(id),
    currentMarket: async (id: string) => markets.get(id),
    store: async (u: PriceUpdate) => void history.push(u),
    recordPublication: async (u: PriceUpdate, atMs: number) => void publications.set(u.marketId, { version: u.version, previousVersion: u.previousVersion ?? null, delivered: false, publishedAtMs: atMs }),
    publish: async (u: PriceUpdate) => {
      now += publishMs(u.version); // a publish takes time; `atMs` is when subscribers get it
      published.push({ ...u, atMs: now });
    },
    markDelivered: async (id: string, version: number, atMs: number) => {
      const p = publications.get(id);
      if (p?.version === version) Object.assign(p, { delivered: true, publishedAtMs: atMs });
    },
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
    log: createLogger('test', () => {}),
  };
  const record = (old: MarketItem | undefined, next: MarketItem): DynamoDBStreamRecord => ({
    eventName: old ? 'MODIFY' : 'INSERT',
    dynamodb: { Keys: marshall({ id: next.id }) as never, NewImage: marshall(next) as never, ...(old && { OldImage: marshall(old) as never }), SequenceNumber: String((seq += 1)).padStart(6, '0') },
  });
  return { deps, markets, published, history, record, clock: { get: () => now, advance: (ms: number) => void (now += ms) } };
}

describe('processMarketRecords: conflation of a burst (virtual clock)', () => {
  it('500 changes/s on one market for 2 s, publishes taking 0–119 ms: at most one publication per window, chained, ending in the final state, never a window behind', async () => {
    const windowMs = 250;
    const engine = memoryEngine(windowMs, (version) => (version * 37) % 120);
    const start = engine.clock.get();
    const versionAt: { atMs: number; version: number }[] = [];
    let pending: DynamoDBStreamRecord[] = [];
    let current: MarketItem | undefined;
    const write = (version: number) => {
      const next = market('m1', version, 0.3 + (version % 40) / 100);
      pending.push(engine.record(current, next));
      engine.markets.set('m1', next);
      versionAt.push({ atMs: engine.clock.get(), version });
      current = next;
    };
    // The feed writes a change every 2 ms; the stream is polled every 100 ms (a batch), and a
    // batch's invocation blocks the next (one batch per shard at a time) while it waits.
    let version = 0;
    let nextPoll = start;
    let writesUntil = start;
    while (version < 1000) {
      while (writesUntil <= engine.clock.get() && version < 1000) {
        write((version += 1));
        writesUntil += 2;
      }
      if (engine.clock.get() >= nextPoll && pending.length) {
        const batch = pending;
        pending = [];
        const before = engine.clock.get();
        // Changes written while the invocation waits reach the market item, not this batch.
        const writes = setWriter(engine, () => {
          while (writesUntil <= engine.clock.get() && version < 1000) {
            write((version += 1));
            writesUntil += 2;
          }
        });
        expect(await processMarketRecords({ Records: batch }, writes.deps)).toEqual({ batchItemFailures: [] });
        nextPoll = Math.max(before, engine.clock.get()) + 100;
      }
      engine.clock.advance(1);
    }
    while (pending.length) {
      const batch = pending;
      pending = [];
      await processMarketRecords({ Records: batch }, engine.deps);
    }

    const times = engine.published.map((p) => p.atMs);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(windowMs);
    expect(engine.published.length).toBeGreaterThanOrEqual(7);
    expect(engine.published.at(-1)!.version).toBe(1000);
    engine.published.forEach((p, i) => expect(p.previousVersion).toBe(i === 0 ? null : engine.published[i - 1]!.version));
    expect(engine.history.map((h) => h.version)).toEqual(engine.published.map((p) => p.version));
    // At each publication, the market's version one window (plus that publish's own time) earlier is covered.
    for (const p of engine.published) {
      const windowAgo = versionAt.findLast((v) => v.atMs <= p.atMs - windowMs - 120);
      if (windowAgo) expect(p.version).toBeGreaterThanOrEqual(windowAgo.version);
    }
    expect(engine.published.length).toBeLessThanOrEqual(Math.ceil((engine.clock.get() - start) / windowMs) + 1);
  });

  it('with the window off, every repricing version is published, each chained to the one before', async () => {
    const engine = memoryEngine(0);
    const v = [market('m9', 1, 0.5), market('m9', 2, 0.6), market('m9', 3, 0.6, { name: 'renamed' }), market('m9', 4, 0.7)];
    const records = v.map((m, i) => engine.record(v[i - 1], m));
    await processMarketRecords({ Records: records }, engine.deps);
    expect(engine.published.map((p) => [p.version, p.previousVersion])).toEqual([[1, null], [2, 1], [4, 2]]);
  });

  it('after waiting out a window, publishes the state reached by then, unless that state has no prices', async () => {
    const engine = memoryEngine(250);
    const v1 = market('m7', 1, 0.5);
    const v2 = market('m7', 2, 0.55);
    await processMarketRecords({ Records: [engine.record(undefined, v1)] }, engine.deps);
    engine.markets.set('m7', market('m7', 4, 0.6));
    await processMarketRecords({ Records: [engine.record(v1, v2)] }, engine.deps);
    expect(engine.published.map((p) => [p.version, p.previousVersion, p.atMs - engine.published[0]!.atMs])).toEqual([[1, null, 0], [4, 1, 250]]);

    engine.markets.set('m7', market('m7', 6, 0.6, { selections: [{ id: 'x', name: 'X' }] }));
    const v5 = market('m7', 5, 0.65);
    await processMarketRecords({ Records: [engine.record(market('m7', 4, 0.6), v5)] }, engine.deps);
    expect(engine.published.map((p) => p.version)).toEqual([1, 4, 5]);
  });

  it('a failed publish reports the market\'s first record; the retry republishes the same link of the chain', async () => {
    const engine = memoryEngine(250);
    const v1 = market('m5', 1, 0.5);
    const v2 = market('m5', 2, 0.55);
    const records = [engine.record(undefined, v1), engine.record(v1, v2)];
    engine.markets.set('m5', v2);
    let refuse = true;
    const deps = { ...engine.deps, publish: async (u: PriceUpdate) => (refuse ? Promise.reject(new Error('AppSync answered HTTP 500')) : engine.deps.publish(u)) };
    expect(await processMarketRecords({ Records: records }, deps)).toEqual({ batchItemFailures: [{ itemIdentifier: records[0]!.dynamodb!.SequenceNumber }] });
    refuse = false;
    engine.clock.advance(1000);
    expect(await processMarketRecords({ Records: records }, deps)).toEqual({ batchItemFailures: [] });
    expect(engine.published.map((p) => [p.version, p.previousVersion])).toEqual([[2, null]]);
    await processMarketRecords({ Records: records }, deps);
    expect(engine.published).toHaveLength(1); // delivered: an old record again publishes nothing
  });
});

/** The engine's deps with `sleep` also running the feed's writes for the time slept. */
function setWriter(engine: ReturnType<typeof memoryEngine>, writeUntilNow: () => void) {
  return {
    deps: {
      ...engine.deps,
      sleep: async (ms: number) => {
        for (let i = 0; i < ms; i++) {
          engine.clock.advance(1);
          writeUntilNow();
        }
      },
    },
  };
}
