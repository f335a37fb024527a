/**
 * The operations of this folder's .graphql files (which codegen reads; their types are in
 * client/generated/operations.ts) as strings that the Lambdas carry in their bundles.
 * test/unit/client/operations.test.ts keeps the two equal.
 */

export const INGEST_FEED = /* GraphQL */ `
  mutation IngestFeed($messages: [FeedMessageInput!]!) {
    ingestFeed(messages: $messages) {
      results { feedId sequence outcome reason field }
      accepted
      duplicates
      stale
      rejected
    }
  }
`;

export const PUBLISH_PRICE_UPDATE = /* GraphQL */ `
  mutation PublishPriceUpdate($input: PublishPriceUpdateInput!) {
    publishPriceUpdate(input: $input) {
      marketId
      eventId
      sport
      version
      status
      margin
      selections { selectionId name probability price { decimal fractional american impliedProbability } }
      publishedAt
      source
      previousVersion
    }
  }
`;

export const PUBLISH_JOB_UPDATE = /* GraphQL */ `
  mutation PublishJobUpdate($input: PublishJobUpdateInput!) {
    publishJobUpdate(input: $input) { id type status owner params progress message result error createdAt updatedAt }
  }
`;

export const PUBLISH_HEARTBEAT = /* GraphQL */ `
  mutation PublishHeartbeat($input: PublishHeartbeatInput!) {
    publishHeartbeat(input: $input) { at intervalSeconds markets { marketId eventId version } }
  }
`;

export const PUBLISH_EVENT_UPDATE = /* GraphQL */ `
  mutation PublishEventUpdate($input: PublishEventUpdateInput!) {
    publishEventUpdate(input: $input) { id name sport startTime status updatedAt }
  }
`;
