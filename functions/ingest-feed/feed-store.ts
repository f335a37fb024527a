import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { FeedMessageOutcome } from '../domain/feed/messages.ts';
import type { FeedChange, FeedState, FeedTarget } from '../domain/feed/plan-message.ts';
import type { EventItem, MarketItem } from '../domain/market/market.ts';
import { awsErrorName } from '../shared/dynamodb.ts';

export interface FeedTables {
  events: string;
  markets: string;
  feedMessages: string;
}

/** A FeedMessagesTable item (docs/data-model.md). */
export interface LedgerEntry {
  feedId: string;
  sequence: number;
  outcome: FeedMessageOutcome;
  reason?: string;
  field?: string;
  processedAt: string;
  expiresAt: number;
}

export const LEDGER_TTL_SECONDS = 7 * 24 * 60 * 60;

export type ApplyResult = 'applied' | 'duplicate' | 'conflict';

/** The ingest-feed's reads and writes; every write is conditional. */
export interface FeedStore {
  ledgerEntry(feedId: string, sequence: number): Promise<LedgerEntry | undefined>;
  /** Records an outcome that changes nothing else (REJECTED, STALE); 'duplicate' if the sequence is already recorded. */
  record(entry: LedgerEntry): Promise<'recorded' | 'duplicate'>;
  readState(target: FeedTarget): Promise<FeedState>;
  /**
   * Writes the ledger entry and the change in ONE transaction: both or neither, so a crash
   * can never leave a change applied without its ledger entry or the reverse. 'duplicate':
   * the ledger already holds this sequence; 'conflict': the target changed since it was read.
   */
  apply(change: FeedChange, entry: LedgerEntry): Promise<ApplyResult>;
}

const LEDGER_CONDITION = 'attribute_not_exists(#sequence)';

export function createFeedStore(client: DynamoDBClient, tables: FeedTables): FeedStore {
  const get = async (table: string, id: string) => {
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ id }), ConsistentRead: true }));
    return Item ? unmarshall(Item) : undefined;
  };

  return {
    async ledgerEntry(feedId, sequence) {
      const { Item } = await client.send(new GetItemCommand({ TableName: tables.feedMessages, Key: marshall({ feedId, sequence }), ConsistentRead: true }));
      return Item ? (unmarshall(Item) as LedgerEntry) : undefined;
    },

    async record(entry) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tables.feedMessages,
            Item: marshall(entry, { removeUndefinedValues: true }),
            ConditionExpression: LEDGER_CONDITION,
            ExpressionAttributeNames: { '#sequence': 'sequence' },
          }),
        );
        return 'recorded';
      } catch (error) {
        if (awsErrorName(error) === 'ConditionalCheckFailedException') return 'duplicate';
        throw error;
      }
    },

    async readState(target) {
      if (target.table === 'events') return { event: (await get(tables.events, target.id)) as EventItem | undefined };
      const [market, event] = await Promise.all([
        get(tables.markets, target.id) as Promise<MarketItem | undefined>,
        target.eventId ? (get(tables.events, target.eventId) as Promise<EventItem | undefined>) : undefined,
      ]);
      return { market, event };
    },

    async apply(change, entry) {
      const ledgerPut: TransactWriteItem = {
        Put: {
          TableName: tables.feedMessages,
          Item: marshall(entry, { removeUndefinedValues: true }),
          ConditionExpression: LEDGER_CONDITION,
          ExpressionAttributeNames: { '#sequence': 'sequence' },
        },
      };
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [ledgerPut, targetWrite(change, change.table === 'events' ? tables.events : tables.markets)] }));
        return 'applied';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) && awsErrorName(error) !== 'TransactionCanceledException') throw error;
        const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
        if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'conflict';
        throw error;
      }
    },
  };
}

/** The conditional write of a change: a new item only if absent; else SETs guarded by version and watermark. */
export function targetWrite(change: FeedChange, tableName: string): TransactWriteItem {
  if (change.create) {
    return {
      Put: {
        TableName: tableName,
        Item: marshall(change.create, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(#id)',
        ExpressionAttributeNames: { '#id': 'id' },
      },
    };
  }
  const names: Record<string, string> = { '#id': 'id' };
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions = ['attribute_exists(#id)'];
  Object.entries(change.set ?? {}).forEach(([attribute, value], i) => {
    names[`#a${i}`] = attribute;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = :a${i}`);
  });
  if (change.expectedVersion !== undefined) {
    names['#version'] = 'version';
    values[':expectedVersion'] = change.expectedVersion;
    conditions.push('#version = :expectedVersion');
  }
  const watermark = change.watermark;
  if (watermark) {
    names['#wm'] = 'watermarks';
    if (watermark.mode === 'item') {
      values[':wm'] = watermark.value;
      sets.push('#wm = :wm');
      conditions.push('attribute_not_exists(#wm)');
    } else if (watermark.mode === 'aspect') {
      names['#aspect'] = watermark.aspect;
      values[':wm'] = watermark.value;
      sets.push('#wm.#aspect = :wm');
      conditions.push('attribute_not_exists(#wm.#aspect)');
    } else {
      names['#aspect'] = watermark.aspect;
      names['#feed'] = watermark.feedId;
      values[':wm'] = watermark.sequence;
      sets.push('#wm.#aspect.#feed = :wm');
      // The watermark only rises: this is what keeps a stale message from overwriting a newer one.
      conditions.push('(attribute_not_exists(#wm.#aspect.#feed) OR #wm.#aspect.#feed < :wm)');
    }
  }
  return {
    Update: {
      TableName: tableName,
      Key: marshall({ id: change.id }),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
    },
  };
}
