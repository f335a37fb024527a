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
  /** Feeds in the file: each is sent in its own order, one call at a time. */
  feeds: number;
  /** Most ingestFeed calls that were in flight at once. */
  maxInFlight: number;
  /** Every ingestFeed call: how many messages, how long it took to answer. */
  calls: { size: number; ms: number }[];
}

export interface ReplayOptions {
  client: Pick<AppSyncClient, 'request'>;
  messages: readonly unknown[];
  /** Messages per second: message i of the file is due i / ratePerSecond seconds after the start. */
  ratePerSecond: number;
  /** Messages per ingestFeed call, most. Default 25. */
  batchSize?: number;
  /** ingestFeed calls in flight at once, most (calls of different feeds only). Default 4. */
  concurrency?: number;
  onProgress?: (progress: ReplayProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_BATCH_SIZE = 25;
export const DEFAULT_CONCURRENCY = 4;
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
 * Sends a feed to `ingestFeed` in batches at a steady message rate and reports progress after
 * each batch. Each feed's messages go in file order, in batches of `batchSize` of its own
 * messages, one call at a time: ingestFeed orders a batch by sequence, so a message sent after
 * a newer one of its feed is judged exactly as when it was sent alone. Different feeds are
 * sent concurrently, up to `concurrency` calls at once. A batch is sent when its first message
 * is due, or as soon as the feed's previous call has answered if that is later: the rate is
 * what the server's answers allow, and `calls` says how long they took.
 * Rejects with ReplayError if a batch fails as a whole (auth, network, GraphQL validation);
 * per-message outcomes are never errors.
 */
export async function replayFeed(options: ReplayOptions): Promise<ReplaySummary> {
  const { client, messages, ratePerSecond, onProgress, signal } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Array.isArray(messages)) throw new TypeError(`replayFeed: messages must be an array of FeedMessageInput, got ${typeof messages}`);
  if (typeof ratePerSecond !== 'number' || !Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
    throw new RangeError(`replayFeed: ratePerSecond must be a positive number of messages per second, e.g. 50; got ${String(ratePerSecond)}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new RangeError(`replayFeed: batchSize must be a whole number from 1 to ${MAX_BATCH_SIZE}; got ${String(batchSize)}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`replayFeed: concurrency must be a whole number of calls, 1 or more; got ${String(concurrency)}`);

  const started = performance.now();
  const results: (FeedMessageResult | undefined)[] = new Array(messages.length);
  const tally = { sent: 0, ACCEPTED: 0, DUPLICATE: 0, STALE: 0, REJECTED: 0 };
  const progress = (): ReplayProgress => {
    const elapsedMs = performance.now() - started;
    return {
      sent: tally.sent,
      total: messages.length,
      accepted: tally.ACCEPTED,
      duplicate: tally.DUPLICATE,
      stale: tally.STALE,
      rejected: tally.REJECTED,
      elapsedMs,
      messagesPerSecond: elapsedMs > 0 ? (tally.sent * 1000) / elapsedMs : 0,
    };
  };

  const lanes = feedLanes(messages);
  const calls: { size: number; ms: number }[] = [];
  const slots = createSlots(concurrency);
  let failure: ReplayError | undefined;
  let batches = 0;

  async function sendLane(indices: number[]): Promise<void> {
    for (let offset = 0; offset < indices.length && !failure; offset += batchSize) {
      const batchIndices = indices.slice(offset, offset + batchSize);
      await sleepUntil(started + (batchIndices[0]! / ratePerSecond) * 1000, signal);
      await slots.acquire();
      try {
        if (failure) return;
        signal?.throwIfAborted();
        const batch = batchIndices.map((i) => messages[i]);
        const range = describeRange(batchIndices, messages.length);
        const sent = performance.now();
        let answer: IngestFeedMutation;
        try {
          // Sent as read: ingestFeed judges each message, and reports the malformed ones.
          answer = await client.request<IngestFeedMutation, IngestFeedMutationVariables>(INGEST_FEED, { messages: batch as FeedMessageInput[] });
        } catch (error) {
          failure ??= new ReplayError(`ingestFeed failed for ${range}: ${(error as Error).message}`, progress(), error);
          return;
        }
        calls.push({ size: batch.length, ms: performance.now() - sent });
        const batchResults = answer.ingestFeed.results;
        if (batchResults.length !== batch.length) {
          failure ??= new ReplayError(`ingestFeed answered ${batchResults.length} results for a batch of ${batch.length} messages (${range})`, progress(), undefined);
          return;
        }
        batchResults.forEach((result, k) => {
          results[batchIndices[k]!] = result;
          tally.sent += 1;
          tally[result.outcome] += 1;
        });
        batches += 1;
        onProgress?.(progress());
      } finally {
        slots.release();
      }
    }
  }

  await Promise.all([...lanes.values()].map((indices) => sendLane(indices)));
  if (failure) throw failure;
  return { ...progress(), results: results as FeedMessageResult[], batches, feeds: lanes.size, maxInFlight: slots.maxInUse(), calls };
}

/** Message indices by feedId, in file order; messages without a feedId share one lane. */
function feedLanes(messages: readonly unknown[]): Map<string, number[]> {
  const lanes = new Map<string, number[]>();
  messages.forEach((message, index) => {
    const feedId = (message as { feedId?: unknown } | null)?.feedId;
    const key = typeof feedId === 'string' ? `feed:${feedId}` : 'no-feed-id';
    const lane = lanes.get(key);
    if (lane) lane.push(index);
    else lanes.set(key, [index]);
  });
  return lanes;
}

function describeRange(indices: number[], total: number): string {
  const first = indices[0]! + 1;
  const last = indices.at(-1)! + 1;
  return last - first + 1 === indices.length ? `messages ${first}-${last} of ${total}` : `${indices.length} messages between ${first} and ${last} of ${total}`;
}

/** A counting semaphore that remembers how many were taken at once. */
function createSlots(size: number) {
  let inUse = 0;
  let most = 0;
  const waiting: (() => void)[] = [];
  return {
    acquire: async () => {
      if (inUse >= size) await new Promise<void>((resume) => waiting.push(resume));
      else inUse += 1;
      most = Math.max(most, inUse);
    },
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else inUse -= 1;
    },
    maxInUse: () => most,
  };
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
