import type { AppSyncClient } from '../../sdk/appsync-client.ts';
import { INGEST_FEED } from '../operations/documents.ts';
import type { FeedMessageInput, IngestFeedMutation } from '../generated/operations.ts';
import type { DemoFeed } from './demo-feed.ts';

export interface DemoFeedRunner {
  stop(): Promise<void>;
}

/**
 * Sends the demo feed through `ingestFeed` as a partner would (SigV4, the partner role): the
 * opening messages once, then a tick every `intervalMs`. A failed batch is reported with what
 * AppSync said and the feed carries on; a summary line is printed every `reportEveryMs`.
 */
export async function runDemoFeed(options: { client: AppSyncClient; feed: DemoFeed; intervalMs: number; reportEveryMs?: number; log(line: string): void }): Promise<DemoFeedRunner> {
  const { client, feed, log } = options;
  const totals = { batches: 0, accepted: 0, duplicates: 0, stale: 0, rejected: 0, failed: 0 };

  const send = async (messages: FeedMessageInput[]) => {
    try {
      const { ingestFeed } = await client.request<IngestFeedMutation>(INGEST_FEED, { messages });
      totals.batches += 1;
      totals.accepted += ingestFeed.accepted;
      totals.duplicates += ingestFeed.duplicates;
      totals.stale += ingestFeed.stale;
      totals.rejected += ingestFeed.rejected;
      for (const r of ingestFeed.results.filter((r) => r.outcome === 'REJECTED')) log(`feed ${r.feedId}#${r.sequence} rejected: ${r.reason} (${r.field})`);
    } catch (error) {
      totals.failed += 1;
      log(`ingestFeed failed for ${messages.length} message(s) from #${messages[0]?.sequence}: ${(error as Error).message}`);
    }
  };

  await send(feed.opening());
  if (totals.failed > 0) throw new Error('the demo feed could not open its event (see the line above)');
  let sending: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    // One batch at a time: a slow batch delays the next tick instead of racing it.
    sending = sending.then(() => send(feed.tick()));
  }, options.intervalMs);
  const report = setInterval(() => {
    log(`feed ${feed.feedId}: ${totals.batches} batches, ${totals.accepted} accepted, ${totals.duplicates} duplicate, ${totals.stale} stale, ${totals.rejected} rejected, ${totals.failed} failed`);
  }, options.reportEveryMs ?? 30_000);

  return {
    async stop() {
      clearInterval(timer);
      clearInterval(report);
      await sending;
    },
  };
}
