// The DynamoDB items of docs/data-model.md (the tables' shapes, not the GraphQL types), shared
// by the resolvers and the functions that read and write them.
import type { EventStatus, JobStatus, JobType, MarketStatus, PriceSource, PriceUpdate } from './generated/types.ts';

/** The aspects of an item that feed messages change, each with its own per-feed watermark. */
export type Aspect = 'definition' | 'probabilities' | 'status' | 'result';

/** `{ <aspect>: { <feedId>: sequence } }` */
export type Watermarks = Partial<Record<Aspect, Record<string, number>>>;

export interface EventItem {
  id: string;
  name: string;
  sport: string;
  startTime: string;
  status: EventStatus;
  updatedAt?: string;
  watermarks?: Watermarks;
}

export interface MarketSelection {
  id: string;
  name: string;
  probability?: number | null;
}

export interface LastChange {
  source: PriceSource;
  by: string;
  at: string;
}

export interface MarketItem {
  id: string;
  eventId: string;
  sport?: string;
  name: string;
  status: MarketStatus;
  margin: number;
  version: number;
  feedSequence?: number;
  selections: MarketSelection[];
  winningSelectionIds?: string[];
  lastChange?: LastChange;
  /** Set by a REPRICE_EVENT job: the price engine republishes although nothing else changed. */
  repricedAt?: string;
  watermarks?: Watermarks;
  updatedAt?: string;
}

/** One published PriceUpdate; `sk` = `<publishedAt>#<version, 10 digits>`. */
export type PriceUpdateItem = PriceUpdate & { sk: string; expiresAt: number };

/**
 * A market's last publication (PublicationsTable, key `marketId`), written by the price engine:
 * the chain's last link and the start of the market's conflation window; read by the heartbeat.
 */
export interface PublicationItem {
  marketId: string;
  eventId: string;
  version: number;
  previousVersion: number | null;
  status: MarketStatus;
  /** The PriceUpdate's publishedAt (the market's updatedAt). */
  publishedAt: string;
  /** When publishPriceUpdate succeeded for it (until then, when it was recorded), epoch ms: the start of the market's conflation window. */
  publishedAtMs: number;
  /** Whether publishPriceUpdate succeeded for this version. */
  delivered: boolean;
}

export interface JobItem {
  id: string;
  type: JobType;
  status: JobStatus;
  owner: string;
  /** AWSJSON string. */
  params?: string | null;
  progress: number;
  message?: string | null;
  /** AWSJSON string. */
  result?: string | null;
  error?: string | null;
  cancelRequested?: boolean;
  createdAt: string;
  updatedAt: string;
  expiresAt?: number;
}
