import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beatOffsets, DEFAULT_HEARTBEAT_INTERVAL_SECONDS, DEFAULT_HEARTBEAT_RUN_SECONDS, heartbeatMessages, heartbeatOf, parseSeconds } from '../domain/live/heartbeat.ts';
import type { Heartbeat } from '../../schema/generated/types.ts';
import type { PublicationItem } from '../../schema/items.ts';
import { dynamodb } from '../shared/dynamodb.ts';
import { lazy, requireEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { createPublisher, type Publisher } from '../shared/publisher.ts';

const log = createLogger('heartbeat');
const config = lazy(() => ({
  publicationsTable: requireEnv('PUBLICATIONS_TABLE', 'heartbeat'),
  intervalSeconds: parseSeconds('HEARTBEAT_INTERVAL_SECONDS', process.env.HEARTBEAT_INTERVAL_SECONDS, DEFAULT_HEARTBEAT_INTERVAL_SECONDS, 60),
  runSeconds: parseSeconds('HEARTBEAT_RUN_SECONDS', process.env.HEARTBEAT_RUN_SECONDS, DEFAULT_HEARTBEAT_RUN_SECONDS, 840),
  publisher: createPublisher(requireEnv('GRAPHQL_URL', 'heartbeat')),
}));

/** Lambda's context, as much of it as this handler reads. */
interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** What a beat needs at most before the function's time runs out: a scan and its publishes. */
const BEAT_BUDGET_MS = 2_000;

/**
 * Driven by an EventBridge rule every HEARTBEAT_RUN_SECONDS (rate(1 minute)): publishes
 * publishHeartbeat every HEARTBEAT_INTERVAL_SECONDS for the length of the run, then returns, so
 * one invocation a minute keeps a 3 s beat (docs/live-state.md). A beat is as many messages as
 * keep each under AppSync's subscription payload limit (heartbeatMessages). A failed beat is logged and
 * the next one tried: one missed beat is within the clients' 8 s bound, and failing the
 * invocation would only make EventBridge retry it while the next minute's already runs.
 */
export const handler = async (_event: unknown, context: InvocationContext): Promise<{ beats: number; failed: number }> => {
  const { publicationsTable, intervalSeconds, runSeconds, publisher } = config();
  const start = Date.now();
  let beats = 0;
  let failed = 0;
  for (const offset of beatOffsets(intervalSeconds, runSeconds)) {
    const wait = start + offset - Date.now();
    if (context.getRemainingTimeInMillis() - Math.max(0, wait) < BEAT_BUDGET_MS) break;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      const messages = heartbeatMessages(heartbeatOf(await scanPublications(publicationsTable), new Date(), intervalSeconds));
      if (await publishBeat(publisher, messages, offset)) beats += 1;
      else failed += 1;
    } catch (error) {
      failed += 1;
      log.error(`heartbeat at +${offset} ms not published: ${(error as Error).name}: ${(error as Error).message}`, { offset });
    }
  }
  log.info(`published ${beats} heartbeats in ${Date.now() - start} ms`, { beats, failed, intervalSeconds });
  return { beats, failed };
};

/** Publishes a beat's messages in order; one that fails is logged and the rest still go, each being a sign of life. True when all went. */
async function publishBeat(publisher: Publisher, messages: Heartbeat[], offset: number): Promise<boolean> {
  let sent = 0;
  for (const [index, message] of messages.entries()) {
    try {
      await publisher.publishHeartbeat(message);
      sent += 1;
    } catch (error) {
      log.error(`heartbeat at +${offset} ms: message ${index + 1} of ${messages.length} (${message.markets.length} markets) not published: ${(error as Error).name}: ${(error as Error).message}`, { offset, message: index + 1, messages: messages.length });
    }
  }
  return sent === messages.length;
}

async function scanPublications(tableName: string): Promise<PublicationItem[]> {
  const items: PublicationItem[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item) as PublicationItem));
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);
  return items;
}
