/** The operations the board and the console send; their result shapes are in board/ and console/. */

const PRICE = 'price { decimal fractional american impliedProbability }';
const MARKET = `id eventId name status margin version updatedAt selections { id name probability ${PRICE} }`;
const EVENT = `id name sport startTime status markets { ${MARKET} }`;
const PRICE_UPDATE = `marketId eventId version previousVersion status margin publishedAt source selections { selectionId name probability ${PRICE} }`;
const JOB = 'id type status owner params progress message result error createdAt updatedAt';

export const EVENTS = /* GraphQL */ `
  query Events($limit: Int, $nextToken: String) {
    events(limit: $limit, nextToken: $nextToken) { items { ${EVENT} } nextToken }
  }
`;

export const EVENT_BY_ID = /* GraphQL */ `
  query Event($id: ID!) {
    event(id: $id) { ${EVENT} }
  }
`;

export const PRICE_HISTORY = /* GraphQL */ `
  query PriceHistory($marketId: ID!, $since: AWSDateTime, $limit: Int, $nextToken: String) {
    priceHistory(marketId: $marketId, since: $since, limit: $limit, nextToken: $nextToken) { items { ${PRICE_UPDATE} } nextToken }
  }
`;

/**
 * The first page of several markets' price history in one request (`m0`, `m1`, … aliases of
 * priceHistory, variables `$m<i>` and `$s<i>`): a catch-up costs one round trip, not one per market.
 */
export function priceHistoryOfMarkets(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$m${i}: ID!, $s${i}: AWSDateTime`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `m${i}: priceHistory(marketId: $m${i}, since: $s${i}, limit: $limit) { items { ${PRICE_UPDATE} } nextToken }`).join('\n    ');
  return `query PriceHistoryOfMarkets(${variables}, $limit: Int) {\n    ${fields}\n  }`;
}

/** One event: `eventId`; up to five: `eventIds` (the schema's limit). */
export const ON_PRICE_UPDATE = /* GraphQL */ `
  subscription OnPriceUpdate($eventId: ID, $eventIds: [ID!]) {
    onPriceUpdate(eventId: $eventId, eventIds: $eventIds) { ${PRICE_UPDATE} }
  }
`;

/** Every 3 s: each market's last published version, so silence and missed publications show. */
export const ON_HEARTBEAT = /* GraphQL */ `
  subscription OnHeartbeat {
    onHeartbeat { at intervalSeconds markets { marketId eventId version } }
  }
`;

/** Events the feed creates or changes while the page is open. */
export const ON_EVENT_UPDATE = /* GraphQL */ `
  subscription OnEventUpdate {
    onEventUpdate { id name sport startTime status updatedAt }
  }
`;

export const SET_MARGIN = /* GraphQL */ `
  mutation SetMargin($marketId: ID!, $margin: Float!, $expectedVersion: Int!) {
    setMargin(marketId: $marketId, margin: $margin, expectedVersion: $expectedVersion) { id version margin status }
  }
`;

export const SET_MARKET_STATUS = /* GraphQL */ `
  mutation SetMarketStatus($marketId: ID!, $status: MarketStatus!, $expectedVersion: Int!) {
    setMarketStatus(marketId: $marketId, status: $status, expectedVersion: $expectedVersion) { id version margin status }
  }
`;

export const START_JOB = /* GraphQL */ `
  mutation StartJob($type: JobType!, $params: AWSJSON) {
    startJob(type: $type, params: $params) { ${JOB} }
  }
`;

export const CANCEL_JOB = /* GraphQL */ `
  mutation CancelJob($id: ID!) {
    cancelJob(id: $id) { ${JOB} }
  }
`;

export const MY_JOBS = /* GraphQL */ `
  query MyJobs($limit: Int, $nextToken: String) {
    myJobs(limit: $limit, nextToken: $nextToken) { items { ${JOB} } nextToken }
  }
`;

/** The owner filter is the subscription resolver's: every job of the signed-in user. */
export const ON_JOB_UPDATE = /* GraphQL */ `
  subscription OnJobUpdate {
    onJobUpdate { ${JOB} }
  }
`;
