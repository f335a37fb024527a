import { describe, expect, it } from 'vitest';
import { orderEvents } from '../../../web/src/board/event-order.ts';
import { freshnessOf, linkOf } from '../../../web/src/board/live-board.ts';
import { ticks } from '../../../web/src/board/price-chart.ts';
import { MAX_POINTS, PriceHistory } from '../../../web/src/board/price-history.ts';
import { probeTls } from '../../../web/src/graphql/tls-probe.ts';
import { describeLink } from '../../../web/src/ui/link-indicator.ts';

const update = (version: number, decimal: number) => ({ marketId: 'm', version, publishedAt: new Date(1_000 * version).toISOString(), selections: [{ selectionId: 's', price: { decimal } }] });

describe('PriceHistory', () => {
  it("keeps each selection's points in version order, once each, whatever order they arrive in", () => {
    const history = new PriceHistory();
    for (const [v, d] of [[3, 2.1], [1, 2.0], [2, 2.2], [3, 2.1], [5, 1.9]] as const) history.add(update(v, d));
    expect(history.points('m', 's').map((p) => [p.version, p.decimal])).toEqual([[1, 2.0], [2, 2.2], [3, 2.1], [5, 1.9]]);
    expect(history.points('m', 'other')).toEqual([]);
  });

  it('keeps the newest MAX_POINTS', () => {
    const history = new PriceHistory();
    for (let v = 1; v <= MAX_POINTS + 10; v++) history.add(update(v, 2));
    const points = history.points('m', 's');
    expect(points.length).toBe(MAX_POINTS);
    expect(points[0]!.version).toBe(11);
  });
});

describe('chart ticks', () => {
  it('are round price levels inside the range', () => {
    expect(ticks(1.83, 2.47, 4)).toEqual([2, 2.2, 2.4]);
    expect(ticks(2.0, 2.1, 4)).toEqual([2, 2.05, 2.1]);
  });
});

describe('events order', () => {
  it('puts live events first, then scheduled, then finished, by start time within each', () => {
    const e = (id: string, status: string, startTime: string) => ({ id, status, startTime });
    const ordered = orderEvents([e('finished', 'FINISHED', '2026-01-01T00:00:00Z'), e('later', 'SCHEDULED', '2026-02-02T00:00:00Z'), e('live', 'LIVE', '2026-03-01T00:00:00Z'), e('soon', 'SCHEDULED', '2026-02-01T00:00:00Z')] as never[]);
    expect(ordered.map((x: { id: string }) => x.id)).toEqual(['live', 'soon', 'later', 'finished']);
  });
});

describe("the link in a trader's words", () => {
  it("says reconnecting, with the prices' age, when the library replaces a silent link, and the refused certificate when that is why", () => {
    const since = new Date('2026-12-03T12:03:05Z');
    expect(linkOf({ kind: 'stale', since }, undefined)).toEqual({ link: 'reconnecting', staleSince: since.toISOString() });
    expect(linkOf({ kind: 'offline', staleSince: since }, undefined)).toEqual({ link: 'offline', staleSince: since.toISOString() });
    expect(linkOf({ kind: 'reconnecting', staleSince: null }, 'untrusted')).toEqual({ link: 'untrusted' });
    expect(linkOf({ kind: 'live' }, 'untrusted')).toEqual({ link: 'live' });
    expect(freshnessOf({ kind: 'stale', since })).toEqual({ state: 'stale', since: since.toISOString() });
    // Catching up after a lost link still shows the old prices as stale; a gap filled while live does not.
    expect(freshnessOf({ kind: 'catching-up', staleSince: since })).toEqual({ state: 'stale', since: since.toISOString() });
    expect(freshnessOf({ kind: 'catching-up', staleSince: null }).state).toBe('catching-up');
  });

  it("never uses Amplify's state names", () => {
    const staleSince = new Date(2026, 11, 3, 12, 3, 5).toISOString();
    expect(describeLink({ link: 'reconnecting', staleSince })).toEqual({ link: 'Reconnecting…', staleness: 'Prices stale since 12:03:05' });
    expect(describeLink({ link: 'offline' }).link).toBe('Offline');
    expect(describeLink({ link: 'live', catchingUp: true }).staleness).toBe('Catching up…');
  });
});

describe('probeTls', () => {
  const answering = (protocols: string[]) => (async (url: string) => {
    if (!protocols.includes(new URL(url).protocol)) throw new TypeError('Failed to fetch');
    return new Response(null);
  }) as unknown as typeof fetch;

  it('tells a refused certificate (http answers, https does not) from a server that is down (neither answers)', async () => {
    expect(await probeTls('http://localhost:4000/graphql', answering(['https:', 'http:']))).toBe('ok');
    expect(await probeTls('http://localhost:4000/graphql', answering(['http:']))).toBe('untrusted');
    expect(await probeTls('http://localhost:4000/graphql', answering([]))).toBe('unreachable');
  });

  it("does not probe AppSync's own https endpoints", async () => {
    expect(await probeTls('https://abc.appsync-api.eu-west-1.amazonaws.com/graphql', answering([]))).toBe('ok');
  });
});
