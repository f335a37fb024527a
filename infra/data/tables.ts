import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, type TableProps } from 'aws-cdk-lib/aws-dynamodb';

/** The tables of docs/data-model.md. */
export interface PricestreamTables {
  events: Table;
  markets: Table;
  prices: Table;
  jobs: Table;
  feedMessages: Table;
  publications: Table;
}

const S = AttributeType.STRING;

/**
 * Creates the tables directly in the stack, so their logical ids start with the construct ids of
 * docs/data-model.md (`MarketsTable…`), which the local runtime, the demo and the tests look for.
 * On-demand, point-in-time recovery, destroyed with the stack (a demo stack).
 */
export function createTables(stack: Stack): PricestreamTables {
  const table = (id: string, props: Omit<TableProps, 'billingMode' | 'removalPolicy' | 'pointInTimeRecoverySpecification'>) =>
    new Table(stack, id, {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
      ...props,
    });

  // Streamed to event-publisher: a created or changed event reaches subscribers (onEventUpdate).
  const events = table('EventsTable', { partitionKey: { name: 'id', type: S }, stream: StreamViewType.NEW_AND_OLD_IMAGES });
  events.addGlobalSecondaryIndex({ indexName: 'bySport', partitionKey: { name: 'sport', type: S }, sortKey: { name: 'startTime', type: S } });

  const markets = table('MarketsTable', { partitionKey: { name: 'id', type: S }, stream: StreamViewType.NEW_AND_OLD_IMAGES });
  markets.addGlobalSecondaryIndex({ indexName: 'byEvent', partitionKey: { name: 'eventId', type: S }, sortKey: { name: 'name', type: S } });

  const prices = table('PricesTable', {
    partitionKey: { name: 'marketId', type: S },
    sortKey: { name: 'sk', type: S },
    timeToLiveAttribute: 'expiresAt',
  });

  const jobs = table('JobsTable', { partitionKey: { name: 'id', type: S }, stream: StreamViewType.NEW_AND_OLD_IMAGES, timeToLiveAttribute: 'expiresAt' });
  jobs.addGlobalSecondaryIndex({ indexName: 'byOwner', partitionKey: { name: 'owner', type: S }, sortKey: { name: 'createdAt', type: S } });

  const feedMessages = table('FeedMessagesTable', {
    partitionKey: { name: 'feedId', type: S },
    sortKey: { name: 'sequence', type: AttributeType.NUMBER },
    timeToLiveAttribute: 'expiresAt',
  });

  // Each market's last publication (price-engine writes, heartbeat reads). No stream: writing it
  // must never trigger the price engine.
  const publications = table('PublicationsTable', { partitionKey: { name: 'marketId', type: S } });

  return { events, markets, prices, jobs, feedMessages, publications };
}
