import { dynamodb } from '../shared/dynamodb.ts';
import { lazy, requireEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import type { IngestFeedResult } from '../domain/feed/messages.ts';
import { createFeedStore } from './feed-store.ts';
import { ingestFeedBatch, type IngestFeedEvent } from './ingest.ts';

const log = createLogger('ingest-feed');
const store = lazy(() =>
  createFeedStore(dynamodb, {
    events: requireEnv('EVENTS_TABLE', 'ingest-feed'),
    markets: requireEnv('MARKETS_TABLE', 'ingest-feed'),
    feedMessages: requireEnv('FEED_MESSAGES_TABLE', 'ingest-feed'),
  }),
);

/** Mutation.ingestFeed's Lambda: `{ messages, caller }` → IngestFeedResult. */
export const handler = async (event: IngestFeedEvent): Promise<IngestFeedResult> => {
  const result = await ingestFeedBatch(event, { store: store(), log });
  log.info('feed batch ingested', { caller: event.caller, messages: result.results.length, accepted: result.accepted, duplicates: result.duplicates, stale: result.stale, rejected: result.rejected });
  return result;
};
