import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '../../../functions/domain/jobs/csv.ts';
import { EXPORT_COLUMNS, MAX_EXPORT_BYTES } from '../../../functions/domain/jobs/export-price-history.ts';
import type { JobItem, JobPorts } from '../../../functions/domain/jobs/job.ts';
import { runJob, type JobLifecycle, type JobPatch } from '../../../functions/domain/jobs/run-job.ts';
import type { MarketItem } from '../../../functions/domain/market/market.ts';
import { buildPriceUpdate, type PriceUpdate } from '../../../functions/domain/pricing/price-update.ts';

const NOW = '2026-05-01T12:00:00.000Z';

/** An in-memory job item with the life cycle the runner drives; `onPublish` may change the item (as cancelJob would). */
function memoryLifecycle(job: JobItem, onPublish: (published: JobItem, item: JobItem) => void = () => {}) {
  let item: JobItem = { ...job };
  const published: JobItem[] = [];
  const logs: string[] = [];
  const lifecycle: JobLifecycle = {
    async claim() {
      if ((item.status !== 'QUEUED' && item.status !== 'RUNNING') || item.cancelRequested) return undefined;
      item = { ...item, status: 'RUNNING', progress: 0, message: 'started' };
      return item;
    },
    async update(_id: string, patch: JobPatch) {
      item = { ...item, ...patch };
      return item;
    },
    async read() {
      return item;
    },
    async publish(j) {
      published.push(j);
      onPublish(j, item);
    },
    log: (level, message) => logs.push(`${level} ${message}`),
  };
  return { lifecycle, published, logs, item: () => item, set: (patch: Partial<JobItem>) => (item = { ...item, ...patch }) };
}

const market = (id: string, status: MarketItem['status'] = 'OPEN', version = 1): MarketItem => ({
  id,
  eventId: 'e1',
  name: id,
  status,
  margin: 0.05,
  version,
  selections: [{ id: 'a', name: 'A', probability: 0.5 }, { id: 'b', name: 'B', probability: 0.5 }],
  updatedAt: NOW,
});

function memoryPorts(markets: MarketItem[], history: PriceUpdate[] = [], pageSize = 2) {
  const calls: string[] = [];
  const ports: JobPorts = {
    now: () => NOW,
    getEvent: async (id) => (id === 'e1' ? { id, name: 'E', sport: 'football', startTime: NOW, status: 'SCHEDULED' } : undefined),
    listMarketsOfEvent: async (id) => markets.filter((m) => m.eventId === id),
    getMarket: async (id) => markets.find((m) => m.id === id),
    repriceMarket: async (id, change) => {
      calls.push(`reprice ${id} by ${change.by} ${change.source}`);
      const m = markets.find((x) => x.id === id)!;
      if (id === 'vanishing') return undefined;
      m.version += 1;
      return m.version;
    },
    settleMarket: async (id, expected, winners) => {
      calls.push(`settle ${id}@${expected} ${winners.join(',')}`);
      const m = markets.find((x) => x.id === id)!;
      if (m.version !== expected) return undefined;
      Object.assign(m, { status: 'SETTLED', winningSelectionIds: winners, version: expected + 1 });
      return m.version;
    },
    countPriceUpdates: async () => history.length,
    pagePriceUpdates: async (_id, since, cursor) => {
      const rows = history.filter((h) => !since || h.publishedAt >= since);
      const start = (cursor as number | undefined) ?? 0;
      return { items: rows.slice(start, start + pageSize), ...(start + pageSize < rows.length && { cursor: start + pageSize }) };
    },
  };
  return { ports, calls };
}

const job = (type: JobItem['type'], params: unknown): JobItem => ({
  id: 'job-1',
  type,
  status: 'QUEUED',
  owner: 'trader1',
  params: typeof params === 'string' ? params : JSON.stringify(params),
  progress: 0,
  createdAt: NOW,
  updatedAt: NOW,
});

describe('runJob', () => {
  it('REPRICE_EVENT: reprices OPEN and SUSPENDED markets, skips the rest, publishing after every step', async () => {
    const markets = [market('m1'), market('m2', 'SETTLED'), market('m3', 'SUSPENDED'), market('vanishing')];
    const { ports, calls } = memoryPorts(markets);
    const mem = memoryLifecycle(job('REPRICE_EVENT', { eventId: 'e1' }));
    const final = await runJob(job('REPRICE_EVENT', { eventId: 'e1' }), mem.lifecycle, ports);

    expect(calls).toEqual(['reprice m1 by trader1 TRADER', 'reprice m3 by trader1 TRADER', 'reprice vanishing by trader1 TRADER']);
    expect(mem.published.map((j) => [j.status, j.progress, j.message])).toEqual([
      ['RUNNING', 0, 'started'],
      ['RUNNING', 0.2, 'event e1 has 4 market(s)'],
      ['RUNNING', 0.4, 'repriced market m1 at version 2'],
      ['RUNNING', 0.6, 'skipped market m2: SETTLED'],
      ['RUNNING', 0.8, 'repriced market m3 at version 2'],
      ['RUNNING', 1, 'skipped market vanishing: no longer OPEN or SUSPENDED'],
      ['SUCCEEDED', 1, 'done after 5 step(s)'],
    ]);
    expect(JSON.parse(final!.result!)).toEqual({
      eventId: 'e1',
      repriced: [{ marketId: 'm1', version: 2 }, { marketId: 'm3', version: 2 }],
      skipped: [{ marketId: 'm2', reason: 'SETTLED' }, { marketId: 'vanishing', reason: 'no longer OPEN or SUSPENDED' }],
    });
  });

  it('honours a cancellation between steps: the running step finishes, no further step starts', async () => {
    const markets = [market('m1'), market('m2'), market('m3')];
    const { ports, calls } = memoryPorts(markets);
    // cancelJob lands while the runner publishes step 2 (the first market).
    const mem = memoryLifecycle(job('REPRICE_EVENT', { eventId: 'e1' }), (published, item) => {
      if (published.message?.startsWith('repriced market m1')) item.cancelRequested = true;
    });
    const final = await runJob(job('REPRICE_EVENT', { eventId: 'e1' }), mem.lifecycle, ports);
    expect(calls).toEqual(['reprice m1 by trader1 TRADER']);
    expect(final).toMatchObject({ status: 'CANCELLED', message: 'cancelled after step 2: repriced market m1 at version 2' });
    expect(mem.published.at(-1)!.status).toBe('CANCELLED');
    expect(markets.map((m) => m.version)).toEqual([2, 1, 1]);
  });

  it('does not run a job that is no longer QUEUED or whose cancellation was requested', async () => {
    const { ports, calls } = memoryPorts([market('m1')]);
    for (const start of [{ status: 'CANCELLED' as const }, { status: 'SUCCEEDED' as const }, { cancelRequested: true }]) {
      const mem = memoryLifecycle({ ...job('REPRICE_EVENT', { eventId: 'e1' }), ...start });
      expect(await runJob(job('REPRICE_EVENT', { eventId: 'e1' }), mem.lifecycle, ports)).toBeUndefined();
      expect(mem.published).toEqual([]);
      expect(mem.logs).toEqual(['INFO job job-1 not run: it is no longer QUEUED or its cancellation was requested']);
    }
    expect(calls).toEqual([]);
  });

  it('resumes a RUNNING job (a retried invocation) from its first step', async () => {
    const { ports } = memoryPorts([market('m1')]);
    const mem = memoryLifecycle({ ...job('REPRICE_EVENT', { eventId: 'e1' }), status: 'RUNNING', progress: 0.5 });
    expect(await runJob(job('REPRICE_EVENT', { eventId: 'e1' }), mem.lifecycle, ports)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('fails with a reason its owner can act on', async () => {
    const cases: [JobItem, string][] = [
      [job('REPRICE_EVENT', {}), 'REPRICE_EVENT needs params.eventId, a non-empty string; got undefined'],
      [job('REPRICE_EVENT', { eventId: 'e9' }), 'event e9 does not exist'],
      [job('REPRICE_EVENT', '{not json'), expect.stringMatching(/^REPRICE_EVENT params must be a JSON object: /) as unknown as string],
      [job('REPRICE_EVENT', '[1]'), 'REPRICE_EVENT params must be a JSON object, got [1]'],
      [job('SETTLE_MARKET', { marketId: 'm1' }), 'SETTLE_MARKET needs params.winningSelectionIds, a non-empty list of ids; got undefined'],
      [job('SETTLE_MARKET', { marketId: 'm1', winningSelectionIds: ['z'] }), 'selection z is not a selection of market m1 (a, b)'],
      [job('SETTLE_MARKET', { marketId: 'nope', winningSelectionIds: ['a'] }), 'market nope does not exist'],
      [job('EXPORT_PRICE_HISTORY', { marketId: 'm1', since: 'last week' }), 'EXPORT_PRICE_HISTORY params.since must be an ISO date-time such as 2026-05-01T00:00:00Z; got "last week"'],
      [{ ...job('REPRICE_EVENT', {}), type: 'DANCE' as JobItem['type'] }, 'unknown job type "DANCE"; expected one of REPRICE_EVENT, SETTLE_MARKET, EXPORT_PRICE_HISTORY'],
    ];
    for (const [j, error] of cases) {
      const { ports } = memoryPorts([market('m1')]);
      const mem = memoryLifecycle(j);
      expect(await runJob(j, mem.lifecycle, ports)).toMatchObject({ status: 'FAILED', error, message: 'failed' });
      expect(mem.published.at(-1)).toMatchObject({ status: 'FAILED', error });
    }
  });

  it('reports an unexpected error as an internal error', async () => {
    const { ports } = memoryPorts([market('m1')]);
    ports.listMarketsOfEvent = async () => {
      throw new Error('connection reset');
    };
    const mem = memoryLifecycle(job('REPRICE_EVENT', { eventId: 'e1' }));
    expect(await runJob(job('REPRICE_EVENT', { eventId: 'e1' }), mem.lifecycle, ports)).toMatchObject({ status: 'FAILED', error: 'internal error: connection reset' });
    expect(mem.logs).toEqual(['ERROR job job-1 (REPRICE_EVENT) failed: internal error: connection reset']);
  });

  it('keeps running when a publish fails: the item is the record', async () => {
    const { ports } = memoryPorts([market('m1')]);
    const mem = memoryLifecycle(job('REPRICE_EVENT', { eventId: 'e1' }));
    mem.lifecycle.publish = async () => {
      throw new Error('HTTP 502');
    };
    expect(await runJob(job('REPRICE_EVENT', { eventId: 'e1' }), mem.lifecycle, ports)).toMatchObject({ status: 'SUCCEEDED' });
    expect(mem.logs.filter((l) => l.startsWith('WARN publishJobUpdate for job job-1 failed: HTTP 502'))).toHaveLength(4);
  });

  it('SETTLE_MARKET: settles at the version it checked, and fails on a concurrent change', async () => {
    const markets = [market('m1', 'CLOSED', 4)];
    const { ports, calls } = memoryPorts(markets);
    const mem = memoryLifecycle(job('SETTLE_MARKET', { marketId: 'm1', winningSelectionIds: ['b'] }));
    const final = await runJob(job('SETTLE_MARKET', { marketId: 'm1', winningSelectionIds: ['b'] }), mem.lifecycle, ports);
    expect(calls).toEqual(['settle m1@4 b']);
    expect(mem.published.map((j) => j.message)).toEqual(['started', 'result of market m1 checked: b won', 'market m1 SETTLED at version 5', 'done after 2 step(s)']);
    expect(JSON.parse(final!.result!)).toEqual({ marketId: 'm1', winningSelectionIds: ['b'], version: 5 });
    expect(markets[0]).toMatchObject({ status: 'SETTLED', winningSelectionIds: ['b'] });

    const again = memoryLifecycle(job('SETTLE_MARKET', { marketId: 'm1', winningSelectionIds: ['a'] }));
    expect(await runJob(job('SETTLE_MARKET', { marketId: 'm1', winningSelectionIds: ['a'] }), again.lifecycle, ports)).toMatchObject({ status: 'FAILED', error: 'market m1 is already SETTLED (winners b)' });

    const racing = [market('m2', 'OPEN', 1)];
    const race = memoryPorts(racing);
    race.ports.getMarket = async (id) => ({ ...racing.find((m) => m.id === id)!, version: 0 });
    const lost = memoryLifecycle(job('SETTLE_MARKET', { marketId: 'm2', winningSelectionIds: ['a'] }));
    expect(await runJob(job('SETTLE_MARKET', { marketId: 'm2', winningSelectionIds: ['a'] }), lost.lifecycle, race.ports)).toMatchObject({
      status: 'FAILED',
      error: 'market m2 changed while it was being settled (it was at version 0); start the job again',
    });
  });

  it('EXPORT_PRICE_HISTORY: pages through the history into CSV, one row per selection price', async () => {
    const history = [1, 2, 3, 4, 5].map((v) => buildPriceUpdate({ ...market('m1', 'OPEN', v), name: 'M1' }, `2026-05-01T12:0${v}:00.000Z`));
    history[2]!.selections[0]!.name = 'Home, "the Reds"';
    const { ports } = memoryPorts([market('m1')], history, 2);
    const mem = memoryLifecycle(job('EXPORT_PRICE_HISTORY', { marketId: 'm1' }));
    const final = await runJob(job('EXPORT_PRICE_HISTORY', { marketId: 'm1' }), mem.lifecycle, ports);
    expect(mem.published.map((j) => [j.progress, j.message])).toEqual([
      [0, 'started'],
      [0.05, '5 price update(s) to export'],
      [0.43, 'page 1: 2 of 5 price update(s) read'],
      [0.81, 'page 2: 4 of 5 price update(s) read'],
      [1, 'page 3: 5 of 5 price update(s) read'],
      [1, 'done after 4 step(s)'],
    ]);
    const result = JSON.parse(final!.result!);
    expect(result).toMatchObject({ marketId: 'm1', since: null, priceUpdates: 5, rowCount: 10 });
    const lines = result.csv.split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    expect(lines[1]).toBe(`2026-05-01T12:01:00.000Z,1,OPEN,0.05,FEED,a,A,0.5,1.9,9/10,-111,${1 / 1.9}`);
    expect(lines[5]).toBe(`2026-05-01T12:03:00.000Z,3,OPEN,0.05,FEED,a,"Home, ""the Reds""",0.5,1.9,9/10,-111,${1 / 1.9}`);
    expect(lines).toHaveLength(12); // header, 10 rows, and the empty string after the last CRLF
  });

  it('EXPORT_PRICE_HISTORY: honours since, and refuses a result too large to store and publish', async () => {
    const history = [1, 2, 3].map((v) => buildPriceUpdate(market('m1', 'OPEN', v), `2026-05-01T12:0${v}:00.000Z`));
    const { ports } = memoryPorts([market('m1')], history);
    const mem = memoryLifecycle(job('EXPORT_PRICE_HISTORY', { marketId: 'm1', since: '2026-05-01T12:02:00.000Z' }));
    const final = await runJob(job('EXPORT_PRICE_HISTORY', { marketId: 'm1', since: '2026-05-01T12:02:00.000Z' }), mem.lifecycle, ports);
    expect(JSON.parse(final!.result!)).toMatchObject({ since: '2026-05-01T12:02:00.000Z', priceUpdates: 2, rowCount: 4 });

    const big = market('m1');
    big.selections = Array.from({ length: 100 }, (_, i) => ({ id: `selection-${i}`, name: `A selection with a long name ${i}`, probability: 0.01 }));
    const many = Array.from({ length: 30 }, (_, v) => buildPriceUpdate({ ...big, version: v + 1 }, `2026-05-01T12:00:${String(v).padStart(2, '0')}.000Z`));
    const huge = memoryPorts([big], many, 10);
    const tooBig = memoryLifecycle(job('EXPORT_PRICE_HISTORY', { marketId: 'm1' }));
    expect(await runJob(job('EXPORT_PRICE_HISTORY', { marketId: 'm1' }), tooBig.lifecycle, huge.ports)).toMatchObject({
      status: 'FAILED',
      error: `the export of market m1 exceeds ${MAX_EXPORT_BYTES} bytes after 20 price updates (a job result must fit a DynamoDB item and a subscription message); export a shorter period with params.since`,
    });
  });
});

describe('csv', () => {
  it('quotes fields with commas, quotes and line breaks; empty for null', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(-110)).toBe('-110');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});
