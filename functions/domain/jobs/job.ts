import type { JobStatus, JobType } from '../../../schema/generated/types.ts';
import type { EventItem, LastChange, MarketItem } from '../market/market.ts';
import type { PriceUpdate } from '../pricing/price-update.ts';

export type { JobStatus, JobType };

export type { JobItem } from '../../../schema/items.ts';

/** What a job reports after each step. */
export interface StepReport {
  /** 0..1, never decreasing. */
  progress: number;
  message: string;
}

/** A job that cannot complete, with the reason its owner reads in `error`. */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** What the job steps need from storage, implemented by the job-runner over DynamoDB. */
export interface JobPorts {
  now(): string;
  getEvent(eventId: string): Promise<EventItem | undefined>;
  listMarketsOfEvent(eventId: string): Promise<MarketItem[]>;
  getMarket(marketId: string): Promise<MarketItem | undefined>;
  /**
   * version + 1, `lastChange`, `repricedAt` on a market that is still OPEN or SUSPENDED;
   * the new version, or undefined when the market is gone or no longer repriceable.
   */
  repriceMarket(marketId: string, change: LastChange): Promise<number | undefined>;
  /** SETTLED with the winners, if the market is still at `expectedVersion`; the new version, or undefined on a conflict. */
  settleMarket(marketId: string, expectedVersion: number, winners: string[], change: LastChange): Promise<number | undefined>;
  countPriceUpdates(marketId: string, since: string | undefined): Promise<number>;
  /** One page of a market's price history in time order; `cursor` is undefined after the last page. */
  pagePriceUpdates(marketId: string, since: string | undefined, cursor: unknown): Promise<{ items: PriceUpdate[]; cursor?: unknown }>;
}

/** A job's steps: yields after each one, returns the job's result (stored as AWSJSON). */
export type JobSteps = AsyncGenerator<StepReport, unknown, void>;
