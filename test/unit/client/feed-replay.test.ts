import { describe, expect, it } from 'vitest';
import { replayFeed, ReplayError, type ReplayProgress } from '../../../client/feed-replay.ts';
import type { FeedMessageResult } from '../../../functions/domain/feed/messages.ts';

const messages = Array.from({ length: 7 }, (_, i) => ({ feedId: 'f', sequence: i + 1, type: 'EVENT' }));

/** A client that answers ingestFeed from a rule and records the batches. */
function fakeClient(outcomeOf: (message: { sequence: number }) => FeedMessageResult['outcome'], failOnBatch?: number) {
  const batches: unknown[][] = [];
  return {
    batches,
    client: {
      async request<TData>(_query: string, variables?: unknown): Promise<TData> {
        const batch = (variables as { messages: { feedId: string; sequence: number }[] }).messages;
        batches.push(batch);
        if (batches.length === failOnBatch) throw new Error('mutation IngestFeed: AppSync answered HTTP 401 with UnauthorizedException: You are not authorized to make this call.');
        const results = batch.map((m) => ({ feedId: m.feedId, sequence: m.sequence, outcome: outcomeOf(m), reason: null, field: null }));
        return { ingestFeed: { results, accepted: 0, duplicates: 0, stale: 0, rejected: 0 } } as TData;
      },
    },
  };
}

describe('replayFeed', () => {
  it('sends the feed in batches, in order, and reports progress after each', async () => {
    const { client, batches } = fakeClient((m) => (['ACCEPTED', 'DUPLICATE', 'STALE', 'REJECTED'] as const)[m.sequence % 4]!);
    const progress: ReplayProgress[] = [];
    const summary = await replayFeed({ client, messages, ratePerSecond: 1e6, batchSize: 3, onProgress: (p) => progress.push(p) });
    expect(batches.map((b) => b.map((m) => (m as { sequence: number }).sequence))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(progress.map(({ sent, total, accepted, duplicate, stale, rejected }) => ({ sent, total, accepted, duplicate, stale, rejected }))).toEqual([
      { sent: 3, total: 7, accepted: 0, duplicate: 1, stale: 1, rejected: 1 },
      { sent: 6, total: 7, accepted: 1, duplicate: 2, stale: 2, rejected: 1 },
      { sent: 7, total: 7, accepted: 1, duplicate: 2, stale: 2, rejected: 2 },
    ]);
    expect(summary).toMatchObject({ sent: 7, total: 7, batches: 3, accepted: 1, duplicate: 2, stale: 2, rejected: 2 });
    expect(summary.results.map((r) => r.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(summary.messagesPerSecond).toBeGreaterThan(0);
  });

  it('stops at a failed batch with what was done so far', async () => {
    const { client } = fakeClient(() => 'ACCEPTED', 2);
    const error = await replayFeed({ client, messages, ratePerSecond: 1e6, batchSize: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplayError);
    expect((error as ReplayError).message).toBe('ingestFeed failed for messages 4-6 of 7: mutation IngestFeed: AppSync answered HTTP 401 with UnauthorizedException: You are not authorized to make this call.');
    expect((error as ReplayError).progress).toMatchObject({ sent: 3, accepted: 3 });
  });

  it('refuses a result count that does not match the batch', async () => {
    const client = { request: async <T>() => ({ ingestFeed: { results: [] } }) as T };
    await expect(replayFeed({ client, messages, ratePerSecond: 1e6 })).rejects.toThrow('ingestFeed answered 0 results for a batch of 7 messages (1-7)');
  });

  it('names bad options and what would be right', async () => {
    const { client } = fakeClient(() => 'ACCEPTED');
    await expect(replayFeed({ client, messages, ratePerSecond: 0 })).rejects.toThrow('replayFeed: ratePerSecond must be a positive number of messages per second, e.g. 50; got 0');
    await expect(replayFeed({ client, messages, ratePerSecond: Number.NaN })).rejects.toThrow(/got NaN/);
    await expect(replayFeed({ client, messages, ratePerSecond: 10, batchSize: 2.5 })).rejects.toThrow('replayFeed: batchSize must be a whole number from 1 to 1000; got 2.5');
    await expect(replayFeed({ client, messages: 'feed.json' as unknown as unknown[], ratePerSecond: 10 })).rejects.toThrow('replayFeed: messages must be an array of FeedMessageInput, got string');
  });

  it('stops when aborted while waiting for its next batch', async () => {
    const { client, batches } = fakeClient(() => 'ACCEPTED');
    const abort = new AbortController();
    const replay = replayFeed({ client, messages, ratePerSecond: 1, batchSize: 1, onProgress: () => abort.abort(new Error('interrupted')), signal: abort.signal });
    await expect(replay).rejects.toThrow('interrupted');
    expect(batches).toHaveLength(1);
  });

  it('answers an empty feed with an empty summary', async () => {
    const { client } = fakeClient(() => 'ACCEPTED');
    expect(await replayFeed({ client, messages: [], ratePerSecond: 5 })).toMatchObject({ sent: 0, total: 0, batches: 0, results: [] });
  });
});
