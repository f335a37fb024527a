/**
 * The operations of the live market state. `npm run codegen` reads these documents (the
 * `/* GraphQL *\/` strings) and types them in sdk/generated/operations.ts; the library sends the
 * same strings, so there is no file to load at run time (browser, Node and React Native alike).
 * Every PriceUpdate field is selected: the store keeps whole publications.
 */

export const ON_PRICE_UPDATE = /* GraphQL */ `
  subscription LiveMarketsPrices($sports: [String!]) {
    onPriceUpdate(sports: $sports) {
      marketId
      eventId
      sport
      version
      previousVersion
      status
      margin
      selections { selectionId name probability price { decimal fractional american impliedProbability } }
      publishedAt
      source
    }
  }
`;

export const ON_HEARTBEAT = /* GraphQL */ `
  subscription LiveMarketsHeartbeat {
    onHeartbeat { at intervalSeconds markets { marketId eventId version } }
  }
`;

export const ON_EVENT_UPDATE = /* GraphQL */ `
  subscription LiveMarketsEvents($sport: String) {
    onEventUpdate(sport: $sport) { id name sport startTime status updatedAt }
  }
`;

export const SNAPSHOT = /* GraphQL */ `
  query LiveMarketsSnapshot($sport: String, $nextToken: String) {
    events(sport: $sport, limit: 100, nextToken: $nextToken) {
      items {
        id
        name
        sport
        startTime
        status
        markets { id eventId name status margin version updatedAt selections { id name probability } }
      }
      nextToken
    }
  }
`;

export const MARKET = /* GraphQL */ `
  query LiveMarketsMarket($id: ID!) {
    market(id: $id) { id eventId name status margin version updatedAt selections { id name probability } }
  }
`;

export const EVENT = /* GraphQL */ `
  query LiveMarketsEvent($id: ID!) {
    event(id: $id) { id name sport startTime status }
  }
`;

export const PRICE_HISTORY = /* GraphQL */ `
  query LiveMarketsHistory($marketId: ID!, $since: AWSDateTime, $nextToken: String) {
    priceHistory(marketId: $marketId, since: $since, limit: 1000, nextToken: $nextToken) {
      items {
        marketId
        eventId
        sport
        version
        previousVersion
        status
        margin
        selections { selectionId name probability price { decimal fractional american impliedProbability } }
        publishedAt
        source
      }
      nextToken
    }
  }
`;

/** The cheapest read there is (one GetItem of a key that does not exist): is the API reachable? */
export const PROBE = /* GraphQL */ `
  query LiveMarketsProbe {
    market(id: "live-markets-probe") { id }
  }
`;
