/** The operations the board and the console send; their result shapes are in board/ and console/. */

const PRICE = 'price { decimal fractional american impliedProbability }';
const PRICE_UPDATE = `marketId eventId version previousVersion status margin publishedAt source selections { selectionId name probability ${PRICE} }`;
const JOB = 'id type status owner params progress message result error createdAt updatedAt';

export const PRICE_HISTORY = /* GraphQL */ `
  query PriceHistory($marketId: ID!, $since: AWSDateTime, $limit: Int, $nextToken: String) {
    priceHistory(marketId: $marketId, since: $since, limit: $limit, nextToken: $nextToken) { items { ${PRICE_UPDATE} } nextToken }
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
