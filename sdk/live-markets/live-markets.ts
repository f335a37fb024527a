import { connectionStatus, DEFAULT_LIMITS, staleSince, step, type Effect, type Input, type Limits, type Phase } from './connection.ts';
import {
  beginCatchUp,
  completeCatchUp,
  createStore,
  forgetMarket,
  heldVersion,
  noteEvent,
  noteHeartbeat,
  noteMarketInfo,
  offerUpdate,
  type MarketEntry,
  type MarketStore,
} from './store.ts';
import type { LiveTransport, TransportSink } from './transport.ts';
import type { ConnectionStatus, EventView, LiveMarketsChange, MarketLiveness, MarketView, PriceUpdate } from './types.ts';

/** Time and timers, so tests can drive them. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface LiveMarketsOptions {
  transport: LiveTransport;
  clock?: Clock;
  limits?: Partial<Limits>;
  /**
   * Calls back when the app returns to the foreground (React Native: AppState 'active'); returns
   * a function that stops it. Default: `document.visibilitychange` where there is a document, else none.
   */
  onForeground?: (callback: () => void) => () => void;
}

export interface LiveMarkets {
  connection(): ConnectionStatus;
  events(): EventView[];
  markets(): MarketView[];
  market(id: string): MarketView | undefined;
  /** Calls `listener` with every change (connection, event, market, applied version); returns an unsubscribe function. */
  subscribe(listener: (change: LiveMarketsChange) => void): () => void;
  /** Re-checks now, as on a return to the foreground. */
  resume(): void;
  stop(): Promise<void>;
}

interface Context {
  transport: LiveTransport;
  clock: Clock;
  limits: Limits;
  phase: Phase;
  store: MarketStore;
  listeners: Set<(change: LiveMarketsChange) => void>;
  /** Each sync run's number: a newer run makes an older one's results void. */
  syncRun: number;
  catchUps: Map<string, Promise<void>>;
  /** Which `open` is current: an older connection's ready and down mean nothing now. */
  connection: number;
  wakeTimer: unknown;
  probeTimer: unknown;
  retryTimers: Set<unknown>;
  shown: { connection: string; markets: Map<string, string> };
  stopForeground: () => void;
  stopped?: Promise<void>;
}

export function createLiveMarkets(options: LiveMarketsOptions): LiveMarkets {
  const ctx: Context = {
    transport: options.transport,
    clock: options.clock ?? systemClock,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    phase: { kind: 'idle' },
    store: createStore(),
    listeners: new Set(),
    syncRun: 0,
    catchUps: new Map(),
    connection: 0,
    wakeTimer: undefined,
    probeTimer: undefined,
    retryTimers: new Set(),
    shown: { connection: '', markets: new Map() },
    stopForeground: () => {},
  };
  ctx.stopForeground = (options.onForeground ?? documentVisibility)(() => dispatch(ctx, { kind: 'foreground' }));
  // Started on the next tick, so a caller can subscribe before the first change.
  ctx.clock.setTimeout(() => dispatch(ctx, { kind: 'start' }), 0);
  return {
    connection: () => connectionStatus(ctx.phase, ctx.clock.now(), ctx.limits),
    events: () => [...ctx.store.events.values()],
    markets: () => [...ctx.store.markets.keys()].map((id) => marketView(ctx, id)).filter((m): m is MarketView => m !== undefined),
    market: (id) => marketView(ctx, id),
    subscribe(listener) {
      ctx.listeners.add(listener);
      return () => void ctx.listeners.delete(listener);
    },
    resume: () => dispatch(ctx, { kind: 'foreground' }),
    stop: () => stop(ctx),
  };
}

function dispatch(ctx: Context, input: Input): void {
  const before = ctx.phase;
  const { phase, effects } = step(before, input, ctx.clock.now(), ctx.limits);
  ctx.phase = phase;
  if (phase !== before) showChanges(ctx);
  for (const effect of effects) run(ctx, effect);
}

function run(ctx: Context, effect: Effect): void {
  switch (effect.kind) {
    case 'open':
      ctx.transport.open(sinkFor(ctx, ++ctx.connection));
      return;
    case 'sync':
      void sync(ctx);
      return;
    case 'drop':
      ctx.syncRun += 1;
      ctx.transport.drop().then(
        () => dispatch(ctx, { kind: 'dropped' }),
        (error: unknown) => {
          report(ctx, `dropping the connection failed: ${describe(error)}`);
          dispatch(ctx, { kind: 'dropped' });
        },
      );
      return;
    case 'probe':
      probe(ctx);
      return;
    case 'wake':
      ctx.clock.clearTimeout(ctx.wakeTimer);
      ctx.wakeTimer = ctx.clock.setTimeout(() => dispatch(ctx, { kind: 'tick' }), Math.max(0, effect.at - ctx.clock.now()));
      return;
  }
}

/** Publications are applied whichever connection brought them (the version rules hold); only the current one's state counts. */
function sinkFor(ctx: Context, connection: number): TransportSink {
  const current = () => connection === ctx.connection;
  return {
    ready: () => {
      if (current()) dispatch(ctx, { kind: 'subscribed' });
    },
    price: (update) => {
      dispatch(ctx, { kind: 'heard' });
      onPrice(ctx, update);
    },
    heartbeat: (heartbeat) => {
      dispatch(ctx, { kind: 'heard' });
      const { behind, unknown } = noteHeartbeat(ctx.store, heartbeat.markets);
      for (const id of [...behind, ...unknown]) void catchUp(ctx, id);
      showChanges(ctx);
    },
    event: (update) => {
      dispatch(ctx, { kind: 'heard' });
      const { updatedAt: _updatedAt, ...event } = update;
      if (noteEvent(ctx.store, event)) emit(ctx, { type: 'event', event });
    },
    down: (reason) => {
      if (!current()) return;
      report(ctx, reason);
      dispatch(ctx, { kind: 'transport-down' });
    },
  };
}

function onPrice(ctx: Context, update: PriceUpdate): void {
  const outcome = offerUpdate(ctx.store, update);
  switch (outcome.kind) {
    case 'applied':
      emit(ctx, { type: 'applied', marketId: update.marketId, version: update.version, previousVersion: update.previousVersion, via: 'live' });
      break;
    case 'gap':
    case 'unknown-market':
      void catchUp(ctx, update.marketId);
      break;
    case 'old':
    case 'buffered':
      return;
  }
  showChanges(ctx, [update.marketId]);
}

/** Reads the events and markets, then catches up every market that is behind. */
async function sync(ctx: Context): Promise<void> {
  const run = ++ctx.syncRun;
  try {
    const behind: string[] = [];
    let nextToken: string | null = null;
    do {
      const page = await ctx.transport.snapshot(nextToken);
      if (run !== ctx.syncRun) return;
      for (const { markets, ...event } of page.items) {
        if (noteEvent(ctx.store, event)) emit(ctx, { type: 'event', event });
        for (const market of markets) if (noteMarketInfo(ctx.store, market)) behind.push(market.id);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    for (const id of behind) beginCatchUp(ctx.store, id);
    showChanges(ctx);
    const results = await Promise.allSettled(behind.map((id) => catchUp(ctx, id)));
    if (run !== ctx.syncRun) return;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    dispatch(ctx, { kind: 'synced' });
  } catch (error) {
    if (run !== ctx.syncRun) return;
    report(ctx, `reading the markets failed: ${describe(error)}`);
    dispatch(ctx, { kind: 'sync-failed' });
  }
}

/** One catch-up per market at a time; a failed one is retried while the connection stands. */
function catchUp(ctx: Context, marketId: string): Promise<void> {
  const running = ctx.catchUps.get(marketId);
  if (running) return running;
  beginCatchUp(ctx.store, marketId);
  const task = readMissed(ctx, marketId).finally(() => ctx.catchUps.delete(marketId));
  ctx.catchUps.set(marketId, task);
  task.catch((error: unknown) => {
    report(ctx, `catching up market ${marketId} failed: ${describe(error)}`);
    if (ctx.phase.kind !== 'live') return;
    const timer = ctx.clock.setTimeout(() => {
      ctx.retryTimers.delete(timer);
      const entry = ctx.store.markets.get(marketId);
      if (entry?.catchingUp && ctx.phase.kind === 'live') void catchUp(ctx, marketId);
    }, ctx.limits.retryIntervalMs);
    ctx.retryTimers.add(timer);
  });
  return task;
}

/**
 * What a market missed: its info if unknown (and its event's), then priceHistory from the held
 * publication's time (inclusive, so nothing published at that instant is lost). A market that
 * holds nothing starts at its own last change and looks further back while that finds nothing
 * (its newest publication may be older: conflation, or a change that did not reprice).
 */
async function readMissed(ctx: Context, marketId: string): Promise<void> {
  const entry = ctx.store.markets.get(marketId);
  if (!entry) return;
  if (!entry.info) {
    const info = await ctx.transport.market(marketId);
    if (!info) {
      forgetMarket(ctx.store, marketId);
      return;
    }
    noteMarketInfo(ctx.store, info);
    if (!ctx.store.events.has(info.eventId)) {
      const event = await ctx.transport.event(info.eventId);
      if (event && noteEvent(ctx.store, event)) emit(ctx, { type: 'event', event });
    }
  }
  const history = entry.price ? await readHistory(ctx, marketId, entry.price.publishedAt) : await readLatest(ctx, entry);
  for (const applied of completeCatchUp(ctx.store, marketId, history)) {
    const { marketId: id, ...rest } = applied;
    emit(ctx, { type: 'applied', marketId: id, ...rest });
  }
  showChanges(ctx, [marketId]);
}

const LOOKBACK_MS = [0, 60_000, 3_600_000];

async function readLatest(ctx: Context, entry: MarketEntry): Promise<PriceUpdate[]> {
  const from = Date.parse(entry.info!.updatedAt);
  for (const back of LOOKBACK_MS) {
    const items = await readHistory(ctx, entry.info!.id, new Date(from - back).toISOString());
    if (items.length > 0) return items;
  }
  return readHistory(ctx, entry.info!.id, null);
}

async function readHistory(ctx: Context, marketId: string, since: string | null): Promise<PriceUpdate[]> {
  const items: PriceUpdate[] = [];
  let nextToken: string | null = null;
  do {
    const page = await ctx.transport.priceHistory(marketId, since, nextToken);
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

/** One probe now and the next in retryIntervalMs, while probing: a probe hung on a dead path holds up nothing. */
function probe(ctx: Context): void {
  if (ctx.phase.kind !== 'probing') return;
  ctx.clock.clearTimeout(ctx.probeTimer);
  ctx.probeTimer = ctx.clock.setTimeout(() => probe(ctx), ctx.limits.retryIntervalMs);
  ctx.transport.probe().then(
    () => dispatch(ctx, { kind: 'probe-ok' }),
    (error: unknown) => {
      if (ctx.phase.kind !== 'probing') return;
      if (ctx.phase.failures === 0) report(ctx, `the API cannot be reached: ${describe(error)}`);
      dispatch(ctx, { kind: 'probe-failed' });
    },
  );
}

function marketLiveness(ctx: Context, entry: MarketEntry, now: number): MarketLiveness {
  const since = staleSince(ctx.phase, now, ctx.limits);
  if (since === undefined) {
    const held = heldVersion(entry) ?? 0;
    return entry.catchingUp || (entry.announced ?? 0) > held ? { kind: 'catching-up', staleSince: null } : { kind: 'live' };
  }
  if (ctx.phase.kind === 'syncing' || since === null) return { kind: 'catching-up', staleSince: since === null ? null : new Date(since) };
  return { kind: 'stale', since: new Date(since) };
}

function marketView(ctx: Context, id: string): MarketView | undefined {
  const entry = ctx.store.markets.get(id);
  if (!entry || (!entry.info && !entry.price)) return undefined;
  const { info, price } = entry;
  const priceIsNewer = price !== null && (info === null || price.version >= info.version);
  return {
    id,
    eventId: info?.eventId ?? price!.eventId,
    name: info?.name ?? id,
    status: priceIsNewer ? price.status : info!.status,
    margin: priceIsNewer ? price.margin : info!.margin,
    price,
    liveness: marketLiveness(ctx, entry, ctx.clock.now()),
  };
}

/** Emits the connection status and every market view that differ from what was last emitted. */
function showChanges(ctx: Context, only?: string[]): void {
  const status = connectionStatus(ctx.phase, ctx.clock.now(), ctx.limits);
  const statusKey = JSON.stringify(status);
  if (statusKey !== ctx.shown.connection) {
    ctx.shown.connection = statusKey;
    emit(ctx, { type: 'connection', status });
  }
  for (const id of only ?? ctx.store.markets.keys()) {
    const market = marketView(ctx, id);
    if (!market) continue;
    const key = JSON.stringify([market.liveness, market.price?.version, market.status, market.name]);
    if (ctx.shown.markets.get(id) === key) continue;
    ctx.shown.markets.set(id, key);
    emit(ctx, { type: 'market', market });
  }
}

function emit(ctx: Context, change: LiveMarketsChange): void {
  for (const listener of ctx.listeners) {
    try {
      listener(change);
    } catch (error) {
      // A listener's bug must not stop the state machine; it is reported, once, to the others.
      if (change.type !== 'problem') report(ctx, `a live-markets listener threw on ${change.type}: ${describe(error)}`);
    }
  }
}

function report(ctx: Context, message: string): void {
  emit(ctx, { type: 'problem', message });
}

function stop(ctx: Context): Promise<void> {
  if (ctx.stopped) return ctx.stopped;
  ctx.stopForeground();
  ctx.clock.clearTimeout(ctx.wakeTimer);
  ctx.clock.clearTimeout(ctx.probeTimer);
  for (const timer of ctx.retryTimers) ctx.clock.clearTimeout(timer);
  ctx.syncRun += 1;
  const { phase, effects } = step(ctx.phase, { kind: 'stop' }, ctx.clock.now(), ctx.limits);
  ctx.phase = phase;
  showChanges(ctx);
  ctx.stopped = (effects.length > 0 ? ctx.transport.drop() : Promise.resolve()).finally(() => ctx.transport.close());
  return ctx.stopped;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}

/** The browser's page visibility, where there is a document (not in Node or React Native). */
function documentVisibility(callback: () => void): () => void {
  const doc = (globalThis as { document?: { visibilityState: string; addEventListener(t: string, l: () => void): void; removeEventListener(t: string, l: () => void): void } }).document;
  if (!doc) return () => {};
  const listener = () => {
    if (doc.visibilityState === 'visible') callback();
  };
  doc.addEventListener('visibilitychange', listener);
  return () => doc.removeEventListener('visibilitychange', listener);
}
