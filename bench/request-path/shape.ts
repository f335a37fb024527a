/**
 * The one API shape that bench/request-path.ts runs on every server: one schema, APPSYNC_JS
 * handlers for the local runtime (app.ts makes them a CDK stack) and the equivalent VTL for the
 * Amplify simulator, which runs no JS resolvers (aws-amplify/amplify-category-api#1015), and
 * the operations the load generator sends. No imports beyond node:path, so that the
 * simulator's own package folder can read it too.
 */
import { join } from 'node:path';

export const SCHEMA_FILE = join(import.meta.dirname, 'schema.graphql');

/** The construct id of the markets table, which `market(id)` reads. */
export const TABLE_LOGICAL_ID = 'Markets';
export const MARKET_IDS = Array.from({ length: 100 }, (_, i) => `mkt-${i}`);

export const JS = {
  ping: `export function request(ctx) { return { payload: ctx.args.n }; }
export function response(ctx) { return ctx.result; }`,
  market: `export function request(ctx) { return { operation: 'GetItem', key: { id: { S: ctx.args.id } } }; }
export function response(ctx) { return ctx.result; }`,
  pipelineStep: `export function request(ctx) { return { payload: ctx.args.n }; }
export function response(ctx) { return ctx.result; }`,
  pipeline: `export function request() { return {}; }
export function response(ctx) { return ctx.prev.result; }`,
  publish: `export function request(ctx) { return { payload: ctx.args }; }
export function response(ctx) { return ctx.result; }`,
};

/** The simulator's VTL twins of the JS handlers above. */
export const VTL = {
  ping: { request: '{"version":"2018-05-29","payload": $util.toJson($ctx.args.n)}', response: '$util.toJson($ctx.result)' },
  market: {
    request: '{"version":"2018-05-29","operation":"GetItem","key":{"id":$util.dynamodb.toDynamoDBJson($ctx.args.id)}}',
    response: '$util.toJson($ctx.result)',
  },
  pipelineStep: {
    request: '{"version":"2018-05-29","payload": $util.toJson($ctx.args.n)}',
    response: '$util.toJson($ctx.result)',
  },
  pipeline: { request: '{}', response: '$util.toJson($ctx.prev.result)' },
  publish: { request: '{"version":"2018-05-29","payload": $util.toJson($ctx.args)}', response: '$util.toJson($ctx.result)' },
};

/** The operations, with variables, as every server gets them. */
export const OPERATIONS = {
  ping: (i: number) => JSON.stringify({ query: 'query Ping($n: Int) { ping(n: $n) }', variables: { n: i } }),
  market: (i: number) => JSON.stringify({ query: 'query Market($id: ID!) { market(id: $id) { id name version price } }', variables: { id: MARKET_IDS[i % MARKET_IDS.length] } }),
  pipeline: (i: number) => JSON.stringify({ query: 'query Pipeline($n: Int) { pipeline(n: $n) }', variables: { n: i } }),
  tick: (i: number) => JSON.stringify({ query: 'query Tick($market: ID!, $seq: Int!, $sentAt: Float!) { tick(market: $market, seq: $seq, sentAt: $sentAt) { market seq sentAt } }', variables: { market: 'm1', seq: i, sentAt: 0 } }),
  publish: (i: number, market = 'm1', sentAt = 0) =>
    JSON.stringify({
      query: 'mutation Publish($market: ID!, $seq: Int!, $sentAt: Float!) { publishTick(market: $market, seq: $seq, sentAt: $sentAt) { market seq sentAt } }',
      variables: { market, seq: i, sentAt },
    }),
  /** One heavy request: 1,000 aliased GetItem fields (bench/isolation.ts). */
  heavy: () => JSON.stringify({ query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: market(id: "${MARKET_IDS[i % MARKET_IDS.length]}") { id price }`).join(' ')} }` }),
};
/** What each operation's answer must contain to count as a success. */
export const EXPECTED = { ping: '"ping":', market: '"price":2.5', pipeline: '"pipeline":', tick: '"tick":{', publish: '"publishTick":{', heavy: '"a999":{' };
export const SUBSCRIPTION = 'subscription OnTick { onTick(market: "m1") { market seq sentAt } }';
