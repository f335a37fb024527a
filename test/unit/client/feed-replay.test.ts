import { describe, expect, it } from 'vitest';
import { rateReport } from '../../../client/cli/rate-report.ts';
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
    await expect(replayFeed({ client, messages, ratePerSecond: 1e6 })).rejects.toThrow('ingestFeed answered 0 results for a batch of 7 messages (messages 1-7 of 7)');
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

  it('sends different feeds concurrently up to the cap, and each feed one call at a time in its own order', async () => {
    const mixed = Array.from({ length: 24 }, (_, i) => ({ feedId: `f${i % 3}`, sequence: Math.floor(i / 3) + 1, type: 'EVENT' }));
    const inFlight = new Map<string, number>();
    let most = 0;
    let mostOfOneFeed = 0;
    const sent: { feedId: string; sequence: number }[][] = [];
    const client = {
      async request<TData>(_query: string, variables?: unknown): Promise<TData> {
        const batch = (variables as { messages: { feedId: string; sequence: number }[] }).messages;
        const feedIds = new Set(batch.map((m) => m.feedId));
        expect(feedIds.size).toBe(1);
        const feedId = batch[0]!.feedId;
        inFlight.set(feedId, (inFlight.get(feedId) ?? 0) + 1);
        mostOfOneFeed = Math.max(mostOfOneFeed, inFlight.get(feedId)!);
        most = Math.max(most, [...inFlight.values()].reduce((a, b) => a + b, 0));
        sent.push(batch);
        await new Promise((resume) => setTimeout(resume, 5));
        inFlight.set(feedId, inFlight.get(feedId)! - 1);
        const results = batch.map((m) => ({ feedId: m.feedId, sequence: m.sequence, outcome: 'ACCEPTED', reason: null, field: null }));
        return { ingestFeed: { results, accepted: 0, duplicates: 0, stale: 0, rejected: 0 } } as TData;
      },
    };
    const summary = await replayFeed({ client, messages: mixed, ratePerSecond: 1e6, batchSize: 3, concurrency: 2 });
    expect(mostOfOneFeed).toBe(1);
    expect(most).toBe(2);
    expect(summary).toMatchObject({ sent: 24, feeds: 3, maxInFlight: 2, batches: 9 });
    for (const feedId of ['f0', 'f1', 'f2']) {
      expect(sent.filter((b) => b[0]!.feedId === feedId).flatMap((b) => b.map((m) => m.sequence))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
    expect(summary.results.map((r) => `${r.feedId}#${r.sequence}`)).toEqual(mixed.map((m) => `${m.feedId}#${m.sequence}`));
    expect(summary.calls).toHaveLength(9);
  });

  it('answers an empty feed with an empty summary', async () => {
    const { client } = fakeClient(() => 'ACCEPTED');
    expect(await replayFeed({ client, messages: [], ratePerSecond: 5 })).toMatchObject({ sent: 0, total: 0, batches: 0, results: [] });
  });
});

describe('rateReport', () => {
  const calls = (n: number, size: number, ms: number) => Array.from({ length: n }, () => ({ size, ms }));

  it('says only the rate when it was reached', () => {
    expect(rateReport({ total: 1000, elapsedMs: 5_100, messagesPerSecond: 196, feeds: 1, maxInFlight: 1, calls: calls(40, 25, 50) }, { asked: 200, batchSize: 25, concurrency: 4 })).toEqual(['rate: asked 200 msg/s, achieved 196.0 msg/s']);
  });

  it("blames the server's answer time and the feed count for one feed that cannot keep up", () => {
    const [rate, limit] = rateReport({ total: 900, elapsedMs: 69_500, messagesPerSecond: 13, feeds: 1, maxInFlight: 1, calls: calls(36, 25, 1_900) }, { asked: 200, batchSize: 25, concurrency: 4 });
    expect(rate).toBe('rate: asked 200 msg/s, achieved 13.0 msg/s');
    expect(limit).toBe(
      "limited by: the server's answer time and the feed count: an ingestFeed call took 1900 ms on average (p90 1900 ms) for 25.0 messages; with 1 feed(s) in the file, each sent in its own order one call at a time, at most 4 calls in flight (--concurrency; 1 reached), batches of 25 carry at most ~13 msg/s. --batch-size 380 would carry 200 msg/s if the server answered such calls as fast; more feeds in the file would go side by side",
    );
  });

  it('blames the concurrency cap when every slot was busy with more feeds waiting', () => {
    const [, limit] = rateReport({ total: 900, elapsedMs: 20_000, messagesPerSecond: 45, feeds: 8, maxInFlight: 2, calls: calls(36, 25, 1_000) }, { asked: 200, batchSize: 25, concurrency: 2 });
    expect(limit).toMatch(/^limited by: the concurrency cap: .* at most 2 calls in flight \(--concurrency; 2 reached\), batches of 25 carry at most ~50 msg\/s\. Raise --concurrency or --batch-size$/);
  });

  it('blames the length of a short file, whose last answer dominates', () => {
    const [, limit] = rateReport({ total: 31, elapsedMs: 400, messagesPerSecond: 77.5, feeds: 1, maxInFlight: 1, calls: calls(2, 25, 250) }, { asked: 200, batchSize: 25, concurrency: 4 });
    expect(limit).toMatch(/^limited by: the file's length: 31 messages last 0\.15 s at the asked rate, and the last answer came 0\.25 s after its call/);
  });
});
