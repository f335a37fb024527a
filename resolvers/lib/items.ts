// Items as docs/data-model.md stores them (the tables' shapes, not the GraphQL types).
import type { EventStatus, JobStatus, JobType, MarketStatus, PriceSource, PriceUpdate } from '../../schema/generated/types.ts';

export interface EventItem {
  id: string;
  name: string;
  sport: string;
  startTime: string;
  status: EventStatus;
  updatedAt?: string;
}

export interface MarketSelectionItem {
  id: string;
  name: string;
  probability?: number | null;
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
  selections: MarketSelectionItem[];
  winningSelectionIds?: string[];
  lastChange?: { source: PriceSource; by: string; at: string };
  updatedAt: string;
}

/** One published PriceUpdate; `sk` = `<publishedAt>#<version, 10 digits>`. */
export type PriceUpdateItem = PriceUpdate & { sk: string; expiresAt: number };

export interface JobItem {
  id: string;
  type: JobType;
  status: JobStatus;
  owner: string;
  /** AWSJSON string. */
  params?: string | null;
  progress: number;
  message?: string | null;
  result?: string | null;
  error?: string | null;
  cancelRequested: boolean;
  createdAt: string;
  updatedAt: string;
  expiresAt: number;
}
