import { eventUpdateOf } from '../domain/live/event-update.ts';
import type { EventItem } from '../../schema/items.ts';
import { lazy, requireEnv } from '../shared/env.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { createPublisher, type Publisher } from '../shared/publisher.ts';
import type { DynamoDBStreamEvent, StreamBatchResponse } from '../shared/stream-event.ts';
import { unmarshallImage } from '../shared/stream-image.ts';

const log = createLogger('event-publisher');
const config = lazy(() => ({ publisher: createPublisher(requireEnv('GRAPHQL_URL', 'event-publisher')) }));

/** EventsTable stream (NEW_AND_OLD_IMAGES) → publishEventUpdate; ReportBatchItemFailures. */
export const handler = async (event: DynamoDBStreamEvent): Promise<StreamBatchResponse> => publishEventRecords(event, config().publisher, log);

/**
 * Each created or visibly changed event is published, in stream order. The first record that
 * fails is reported and the rest left for the retry (which starts there), so an event's
 * updates are never published out of order.
 */
export async function publishEventRecords(event: DynamoDBStreamEvent, publisher: Pick<Publisher, 'publishEventUpdate'>, logger: Logger): Promise<StreamBatchResponse> {
  for (const record of event.Records ?? []) {
    const eventId = (record.dynamodb?.Keys?.id as { S?: string } | undefined)?.S ?? 'unknown';
    try {
      if (record.eventName === 'REMOVE' || !record.dynamodb?.NewImage) continue;
      const item = unmarshallImage(record.dynamodb.NewImage) as EventItem;
      const old = record.dynamodb.OldImage ? (unmarshallImage(record.dynamodb.OldImage) as EventItem) : undefined;
      const created = record.dynamodb.ApproximateCreationDateTime;
      const update = eventUpdateOf(old, item, new Date(typeof created === 'number' ? created * 1000 : Date.now()).toISOString());
      if (!update) continue;
      await publisher.publishEventUpdate(update);
      logger.info(`published event ${update.id} (${update.status})`, { eventId: update.id, status: update.status, created: !old });
    } catch (error) {
      const sequenceNumber = record.dynamodb?.SequenceNumber;
      logger.error(`cannot publish event ${eventId}: ${(error as Error).name}: ${(error as Error).message}`, { eventId, sequenceNumber });
      if (!sequenceNumber) throw new Error(`event-publisher: a failed stream record has no dynamodb.SequenceNumber to report (eventID ${record.eventID})`, { cause: error });
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }
  return { batchItemFailures: [] };
}
