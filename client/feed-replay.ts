import type { FeedMessageResult } from '../functions/domain/feed/messages.ts';
import type { AppSyncClient } from '../sdk/appsync-client.ts';
import { INGEST_FEED } from './operations/documents.ts';
import type { FeedMessageInput, IngestFeedMutation, IngestFeedMutationVariables } from './generated/operations.ts';

export interface ReplayProgress {
  /** Messages sent and answered so far. */
  sent: number;
  total: number;
  accepted: number;
  duplicate: number;
  stale: number;
  rejected: number;
  elapsedMs: number;
  /** Messages answered per second since the start. */
  messagesPerSecond: number;
}

export interface ReplaySummary extends ReplayProgress {
  /** One per message, in the order of `messages`. */
  results: FeedMessageResult[];
  batches: number;
}

export interface ReplayOptions {
  client: Pick<AppSyncClient, 'request'>;
  messages: readonly unknown[];
  /** Messages per second: batch k is sent no earlier than k · batchSize / ratePerSecond seconds after the start. */
  ratePerSecond: number;
  /** Messages per ingestFeed call. Default 25. */
  batchSize?: number;
  onProgress?: (progress: ReplayProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_BATCH_SIZE = 25;
export const MAX_BATCH_SIZE = 1000;

/** A batch that AppSync refused: replay stops, with what was done so far. */
export class ReplayError extends Error {
  readonly progress: ReplayProgress;
  constructor(message: string, progress: ReplayProgress, cause: unknown) {
    super(message, { cause });
    this.name = 'ReplayError';
    this.progress = progress;
  }
}

/**
 * Sends a feed to `ingestFeed` in batches at a steady message rate, one batch at a time,
 * and reports progress after each batch. Rejects with ReplayError if a batch fails as a
 * whole (auth, network, GraphQL validation); per-message outcomes are never errors.
 */
export async function replayFeed(options: ReplayOptions): Promise<ReplaySummary> {
  const { client, messages, ratePerSecond, onProgress, signal } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Array.isArray(messages)) throw new TypeError(`replayFeed: messages must be an array of FeedMessageInput, got ${typeof messages}`);
  if (typeof ratePerSecond !== 'number' || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new RangeError(`replayFeed: ratePerSecond must be a positive number of messages per second, e.g. 50; got ${String(ratePerSecond)}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new RangeError(`replayFeed: batchSize must be a whole number from 1 to ${MAX_BATCH_SIZE}; got ${String(batchSize)}`);
  }

  const started = performance.now();
  const results: FeedMessageResult[] = [];
  const progress = (): ReplayProgress => {
    const elapsedMs = performance.now() - started;
    const count = (outcome: FeedMessageResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    return {
      sent: results.length,
      total: messages.length,
      accepted: count('ACCEPTED'),
      duplicate: count('DUPLICATE'),
      stale: count('STALE'),
      rejected: count('REJECTED'),
      elapsedMs,
      messagesPerSecond: elapsedMs > 0 ? (results.length * 1000) / elapsedMs : 0,
    };
  };

  let batches = 0;
  for (let offset = 0; offset < messages.length; offset += batchSize) {
    await sleepUntil(started + (offset / ratePerSecond) * 1000, signal);
    const batch = messages.slice(offset, offset + batchSize);
    let answer: IngestFeedMutation;
    try {
      // Sent as read: ingestFeed judges each message, and reports the malformed ones.
      answer = await client.request<IngestFeedMutation, IngestFeedMutationVariables>(INGEST_FEED, { messages: batch as FeedMessageInput[] });
    } catch (error) {
      throw new ReplayError(`ingestFeed failed for messages ${offset + 1}-${offset + batch.length} of ${messages.length}: ${(error as Error).message}`, progress(), error);
    }
    const batchResults = answer.ingestFeed.results;
    if (batchResults.length !== batch.length) {
      throw new ReplayError(`ingestFeed answered ${batchResults.length} results for a batch of ${batch.length} messages (${offset + 1}-${offset + batch.length})`, progress(), undefined);
    }
    results.push(...batchResults);
    batches += 1;
    onProgress?.(progress());
  }
  return { ...progress(), results, batches };
}

function sleepUntil(at: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  const wait = at - performance.now();
  if (wait <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, wait);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
