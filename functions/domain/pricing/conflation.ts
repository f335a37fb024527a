import { isPriceable, type MarketItem } from '../market/market.ts';
import { repriceDecision } from './price-update.ts';

/**
 * Which market states the price engine publishes, and when (docs/live-state.md). Pure: the
 * handler (functions/price-engine/process-records.ts) does the reading, waiting and writing.
 */

/** Default of PRICE_CONFLATION_WINDOW_MS: at most one publication per market per 250 ms. */
export const DEFAULT_CONFLATION_WINDOW_MS = 250;
/** A window longer than this would keep a stream batch (and the shard behind it) waiting too long. */
export const MAX_CONFLATION_WINDOW_MS = 10_000;

/** One stream record's change of a market, in stream order. */
export interface MarketChange {
  sequenceNumber: string;
  old: MarketItem | undefined;
  market: MarketItem;
  /** The record's ApproximateCreationDateTime (epoch seconds), the fallback time of an item without updatedAt. */
  createdAtSeconds?: number;
}

/** A state to publish: `change.market`, because of `why`. */
export interface Candidate {
  marketId: string;
  change: MarketChange;
  why: string;
  /** The record to report as failed if publishing fails: the first of this market's records it stands for, so a retry sees them all again. */
  retryFrom: string;
}

/**
 * The candidates of a batch, per market in stream order. Without conflation, every change that
 * calls for a new price (repriceDecision) is its own candidate. With it, a market has at most
 * one: its latest state, if any of its changes in the batch called for a new price (names-only
 * changes alone publish nothing, as before).
 */
export function planCandidates(changes: readonly MarketChange[], conflate: boolean): Map<string, Candidate[]> {
  const perMarket = new Map<string, MarketChange[]>();
  for (const change of changes) {
    const list = perMarket.get(change.market.id) ?? [];
    list.push(change);
    perMarket.set(change.market.id, list);
  }
  const plan = new Map<string, Candidate[]>();
  for (const [marketId, list] of perMarket) {
    const repricing = list.map((change) => ({ change, decision: repriceDecision(change.old, change.market) })).filter((c) => c.decision.reprice);
    if (repricing.length === 0) continue;
    if (!conflate) {
      plan.set(marketId, repricing.map(({ change, decision }) => ({ marketId, change, why: decision.why, retryFrom: change.sequenceNumber })));
      continue;
    }
    // The latest state with prices; a later unpriceable one (a redefinition that cleared the
    // probabilities) has none to publish, and the next priced change publishes.
    const latest = list.findLast((change) => isPriceable(change.market))!;
    const why = [...new Set(repricing.flatMap(({ decision }) => decision.why.split(', ')))].join(', ');
    plan.set(marketId, [{ marketId, change: latest, why, retryFrom: list[0]!.sequenceNumber }]);
  }
  return plan;
}

/** How long to wait before publishing, so that a market publishes at most once per window. */
export function publicationDelayMs(nowMs: number, lastPublishedAtMs: number | undefined, windowMs: number): number {
  if (windowMs <= 0 || lastPublishedAtMs === undefined) return 0;
  return Math.max(0, lastPublishedAtMs + windowMs - nowMs);
}

/** A market's last publication as the price engine records it (PublicationsTable). */
export interface LastPublication {
  version: number;
  previousVersion: number | null;
  /** Whether publishPriceUpdate succeeded for it. */
  delivered: boolean;
  /** Wall-clock time, epoch ms, it was delivered (or recorded, until delivered): the start of the market's conflation window. */
  publishedAtMs: number;
}

export type ChainStep =
  | { kind: 'publish'; previousVersion: number | null }
  /** The same version again: its publish failed or is unconfirmed; publish it again unchanged. */
  | { kind: 'republish'; previousVersion: number | null }
  | { kind: 'skip'; why: string };

/**
 * Where a market version goes in the chain of publications: after the last one recorded, or
 * nowhere when that one is already as new (an older record delivered again, or a state that a
 * conflated publication already covered).
 */
export function chainStep(last: LastPublication | undefined, version: number): ChainStep {
  if (!last) return { kind: 'publish', previousVersion: null };
  if (version > last.version) return { kind: 'publish', previousVersion: last.version };
  if (version === last.version && !last.delivered) return { kind: 'republish', previousVersion: last.previousVersion };
  return { kind: 'skip', why: `version ${version} is not newer than the last published version ${last.version}` };
}

/** PRICE_CONFLATION_WINDOW_MS: unset or empty → the default; otherwise whole milliseconds 0..MAX. */
export function parseConflationWindow(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_CONFLATION_WINDOW_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_CONFLATION_WINDOW_MS) {
    throw new Error(`price-engine: PRICE_CONFLATION_WINDOW_MS must be whole milliseconds from 0 (off) to ${MAX_CONFLATION_WINDOW_MS}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
