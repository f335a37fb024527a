import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { demoEvent } from '../../client/demo/demo-feed.ts';
import type { AppSyncClient } from '../../sdk/appsync-client.ts';
import { liveMarkets, type LiveMarkets, type LiveMarketsChange, type PriceUpdate } from '../../sdk/live-markets/index.ts';
import { eventually } from '../integration/test-runtime.ts';
import { chaosWorld, worldReader } from './chaos-world.ts';
import { startChaosProxy, type ChaosMode, type ChaosProxy } from './chaos-proxy.ts';
import { startDemoWorld } from './demo-world.ts';
import { seeded } from './pricestream.ts';

/**
 * The live market state under a broken network, on real parts: the local runtime with the demo
 * feed ticking through the real pipeline, aws-amplify v6 in this Node process talking to it
 * through the chaos proxy (HTTPS and WSS, certificate verified), and a direct API-key client
 * for the server's truth.
 */

export const DEMO_MARKETS = demoEvent.markets.map((m) => m.id);
/** The contract's bound: silence for more than 8 s means the link is dead. */
export const DEAD_AFTER_MS = 8_000;

/** A runtime with the demo event open and its feed ticking, as the clients here see it. */
export interface World {
  /** The API's port, which each client's chaos proxy forwards to. */
  port: number;
  /** amplify_outputs.json of the runtime. */
  outputsPath: string;
  /** Reads the server's truth straight from the runtime, by API key. */
  reader: AppSyncClient;
  stop(): Promise<void>;
}

/** A world of this file's own: the runtime, the demo event opened and its feed ticking every second. */
export async function startWorld(): Promise<World & { partner: AppSyncClient }> {
  const { world, partner, stop } = await startDemoWorld({ web: false, log: () => {} });
  const reader = worldReader(world);
  return {
    port: world.port,
    outputsPath: world.outputsPath,
    partner,
    reader,
    async stop() {
      reader.close();
      await stop();
    },
  };
}

/** The world that the network-failure files share (chaos-world.ts): only this file's reader is its own. */
export function joinChaosWorld(): World {
  const shared = chaosWorld();
  const reader = worldReader(shared);
  return {
    port: shared.port,
    outputsPath: shared.outputsPath,
    reader,
    async stop() {
      reader.close();
    },
  };
}

export interface Sample {
  at: number;
  connection: string;
  liveMarkets: number;
  lastDeliveredAt: number;
}

export interface Client {
  proxy: ChaosProxy;
  live: LiveMarkets;
  changes: { at: number; change: LiveMarketsChange }[];
  samples: Sample[];
  /** The proxy's modes with the time each was set. */
  timeline: { at: number; mode: ChaosMode }[];
  setMode(mode: ChaosMode): void;
  stop(): Promise<void>;
}

/**
 * A live-markets client through a new chaos proxy: Amplify configured from the runtime's outputs
 * with the proxy's URL (a new URL, so a new Amplify socket provider for each client). Samples
 * its state every 200 ms. `seed`: the proxy's random resets, so a run repeats.
 */
export async function startClient(world: World, seed = 1): Promise<Client> {
  const proxy = await startChaosProxy({ targetPort: world.port, random: seeded(seed) });
  const outputs = JSON.parse(readFileSync(world.outputsPath, 'utf8'));
  outputs.data.url = proxy.proxied(outputs.data.url);
  Amplify.configure(outputs);
  const live = liveMarkets({ authMode: 'apiKey' });
  const changes: Client['changes'] = [];
  live.subscribe((change) => changes.push({ at: Date.now(), change }));
  const samples: Sample[] = [];
  const timeline: Client['timeline'] = [{ at: Date.now(), mode: { kind: 'pass' } }];
  const sampler = setInterval(() => {
    samples.push({
      at: Date.now(),
      connection: live.connection().kind,
      liveMarkets: live.markets().filter((m) => m.liveness.kind === 'live').length,
      lastDeliveredAt: proxy.stats().lastDeliveredAt,
    });
  }, 200);
  return {
    proxy,
    live,
    changes,
    samples,
    timeline,
    setMode(mode) {
      timeline.push({ at: Date.now(), mode });
      proxy.setMode(mode);
    },
    async stop() {
      clearInterval(sampler);
      await live.stop();
      await proxy.close();
    },
  };
}

export async function serverHistory(world: World, marketId: string): Promise<PriceUpdate[]> {
  const items: PriceUpdate[] = [];
  let nextToken: string | null = null;
  do {
    const { priceHistory }: { priceHistory: { items: PriceUpdate[]; nextToken: string | null } } = await world.reader.request<{ priceHistory: { items: PriceUpdate[]; nextToken: string | null } }>(
      `query ($id: ID!, $nextToken: String) { priceHistory(marketId: $id, limit: 1000, nextToken: $nextToken) {
        items { marketId eventId sport version previousVersion status margin selections { selectionId name probability price { decimal fractional american impliedProbability } } publishedAt source }
        nextToken } }`,
      { id: marketId, nextToken },
    );
    items.push(...priceHistory.items);
    nextToken = priceHistory.nextToken;
  } while (nextToken);
  return items;
}

/**
 * Waits until the client holds, for every demo market, the server's newest publication or a
 * newer one (the feed keeps publishing while this looks), with exactly the server's prices for
 * that version, and says it is live; returns how long that took.
 */
export async function untilConsistent(world: World, client: Client, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last = '';
  const consistent = async (marketId: string): Promise<boolean> => {
    let history = await serverHistory(world, marketId);
    const held = client.live.market(marketId);
    const newest = history.at(-1);
    last = `${marketId}: server v${newest?.version}, client v${held?.price?.version} ${JSON.stringify(held?.liveness)}; connection ${JSON.stringify(client.live.connection())}`;
    if (!newest || !held?.price || held.liveness.kind !== 'live' || held.price.version < newest.version) return false;
    if (held.price.version > newest.version) history = await serverHistory(world, marketId);
    const same = history.find((u) => u.version === held.price!.version);
    return same !== undefined && JSON.stringify(same.selections) === JSON.stringify(held.price.selections);
  };
  await eventually(
    'the client to hold the server’s newest publication of every market, live',
    async () => {
      for (const marketId of DEMO_MARKETS) if (!(await consistent(marketId))) return undefined;
      return client.live.connection().kind === 'live' ? true : undefined;
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\nlast: ${last}\n${story(client).join('\n')}`);
  });
  return Date.now() - started;
}

/**
 * Versions published (priceHistory) between the first one the client applied and the last,
 * that it never applied — live or caught up. Also any version it reported as skipped.
 */
export async function missedVersions(world: World, client: Client): Promise<Record<string, number[]>> {
  const missed: Record<string, number[]> = {};
  for (const marketId of DEMO_MARKETS) {
    const applied = new Set<number>();
    for (const { change } of client.changes) {
      if (change.type !== 'applied' || change.marketId !== marketId) continue;
      applied.add(change.version);
      if (change.skipped) (missed[marketId] ??= []).push(-change.version);
    }
    const first = Math.min(...applied);
    const last = Math.max(...applied);
    const published = (await serverHistory(world, marketId)).map((u) => u.version).filter((v) => v >= first && v <= last);
    const gaps = published.filter((v) => !applied.has(v));
    if (gaps.length > 0) (missed[marketId] ??= []).push(...gaps);
  }
  return missed;
}

/**
 * Samples that showed a price as live though nothing had reached the client for longer than
 * the bound (plus `slackMs` for timers on a loaded machine).
 */
export function liveWhileSilent(client: Client, slackMs = 1_000): Sample[] {
  return client.samples.filter((s) => (s.connection === 'live' || s.liveMarkets > 0) && s.at - s.lastDeliveredAt > DEAD_AFTER_MS + slackMs);
}

/**
 * How long after `from` the client was live again: connection and every demo market (it says
 * live only once it has subscribed, read the snapshot and caught up every market).
 */
export async function liveAgainAfter(client: Client, from: number, timeoutMs = 20_000): Promise<number> {
  await eventually('the client to be live again', () => (client.live.connection().kind === 'live' && DEMO_MARKETS.every((id) => client.live.market(id)?.liveness.kind === 'live') ? true : undefined), timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}\n${story(client).join('\n')}`);
  });
  const liveAt = client.changes.filter(({ at, change }) => at >= from && change.type === 'connection' && change.status.kind === 'live').at(-1)?.at;
  return (liveAt ?? Date.now()) - from;
}

export function story(client: Client): string[] {
  return client.changes
    .filter(({ change }) => change.type === 'connection' || change.type === 'problem')
    .slice(-30)
    .map(({ at, change }) => `${new Date(at).toISOString().slice(11, 23)} ${JSON.stringify(change)}`);
}

/** The first time after `from` that the client said it was not live. */
export function firstNotLive(client: Client, from: number): number | undefined {
  return client.samples.find((s) => s.at >= from && s.connection !== 'live' && s.liveMarkets === 0)?.at;
}

/** A repeatable schedule of network flaps: offline then back, each for 2–5 s, for `totalMs`. */
export function flapSchedule(random: () => number, totalMs: number): { mode: ChaosMode; forMs: number }[] {
  const schedule: { mode: ChaosMode; forMs: number }[] = [];
  let elapsed = 0;
  let offline = true;
  while (elapsed < totalMs) {
    const forMs = Math.round(2_000 + random() * 3_000);
    schedule.push({ mode: offline ? { kind: 'offline' } : { kind: 'pass' }, forMs });
    elapsed += forMs;
    offline = !offline;
  }
  return schedule;
}

export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What must hold once the network is back at `back`: live (connection and every market)
 * within 2 s, holding the server's newest publications with the server's prices; never a live
 * price while nothing had reached the client for longer than the bound; no version skipped.
 */
export async function expectRecovered(world: World, client: Client, back: number, withinMs = 2_000): Promise<{ liveAgainMs: number }> {
  const liveAgainMs = await liveAgainAfter(client, back);
  // Logged every time, so that a run's margin under the bound is on record, not only its failures.
  console.log(`live markets in Node: live again ${liveAgainMs} ms after the network returned (bound ${withinMs} ms)`);
  if (liveAgainMs > withinMs) throw new Error(`live again only ${liveAgainMs} ms after the network returned (bound ${withinMs} ms)\n${story(client).join('\n')}`);
  await untilConsistent(world, client, 10_000);
  const silentButLive = liveWhileSilent(client);
  if (silentButLive.length > 0) throw new Error(`prices shown live with nothing received for longer than the bound: ${JSON.stringify(silentButLive.slice(0, 3))}`);
  const missed = await missedVersions(world, client);
  if (Object.keys(missed).length > 0) throw new Error(`versions published but never applied (negative: reported skipped): ${JSON.stringify(missed)}`);
  return { liveAgainMs };
}
