import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCloudAssembly } from '../../local/assembly/cloud-assembly.ts';
import { anonymous, apiKey, bearer, iam, postGraphql, signInTokens, tamperedJwt, unsignedJwt, type Caller } from '../support/callers.ts';
import { connectRealtime } from '../support/realtime-client.ts';
import { startTestRuntime } from './test-runtime.ts';

/**
 * Every operation of the API contract × every kind of caller, and forged credentials, on
 * HTTP and on the real-time WebSocket: each cell must be the expected allow or deny.
 * "deny" is HTTP 401 (bad credentials) or the field's `Unauthorized` error; "allow" is
 * anything else (the field may still fail for other reasons, e.g. a missing market).
 */

const { users } = JSON.parse(readFileSync(new URL('../../client/demo/users.json', import.meta.url), 'utf8')) as { users: { username: string; password: string }[] };
const password = (username: string) => users.find((u) => u.username === username)!.password;

const PRICE_UPDATE_INPUT = `{ marketId: "m", eventId: "e", version: 1, status: OPEN, margin: 0.05, publishedAt: "2026-01-01T00:00:00.000Z", source: FEED,
  selections: [{ selectionId: "s", name: "S", probability: 0.5, price: { decimal: 1.9, fractional: "9/10", american: -111, impliedProbability: 0.52 } }] }`;
const HEARTBEAT_INPUT = '{ at: "2026-01-01T00:00:00.000Z", intervalSeconds: 3, markets: [{ marketId: "m", eventId: "e", version: 1 }] }';
const EVENT_INPUT = '{ id: "e", name: "A v B", sport: "football", startTime: "2026-01-01T20:00:00.000Z", status: LIVE, updatedAt: "2026-01-01T00:00:00.000Z" }';
const JOB_INPUT = `{ id: "j", type: REPRICE_EVENT, status: RUNNING, owner: "trader", progress: 0.5, createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z" }`;

const operations: Record<string, string> = {
  'Query.event': '{ event(id: "e") { id } }',
  'Query.events': '{ events { items { id } } }',
  'Query.market': '{ market(id: "m") { id } }',
  'Query.priceHistory': '{ priceHistory(marketId: "m") { items { marketId } } }',
  'Query.job': '{ job(id: "j") { id } }',
  'Query.myJobs': '{ myJobs { items { id } } }',
  'Mutation.ingestFeed': 'mutation { ingestFeed(messages: []) { accepted } }',
  'Mutation.setMargin': 'mutation { setMargin(marketId: "m", margin: 0.05, expectedVersion: 1) { id } }',
  'Mutation.setMarketStatus': 'mutation { setMarketStatus(marketId: "m", status: SUSPENDED, expectedVersion: 1) { id } }',
  'Mutation.startJob': 'mutation { startJob(type: REPRICE_EVENT) { id } }',
  'Mutation.cancelJob': 'mutation { cancelJob(id: "j") { id } }',
  'Mutation.publishPriceUpdate': `mutation { publishPriceUpdate(input: ${PRICE_UPDATE_INPUT}) { marketId } }`,
  'Mutation.publishJobUpdate': `mutation { publishJobUpdate(input: ${JOB_INPUT}) { id } }`,
  'Mutation.publishHeartbeat': `mutation { publishHeartbeat(input: ${HEARTBEAT_INPUT}) { at } }`,
  'Mutation.publishEventUpdate': `mutation { publishEventUpdate(input: ${EVENT_INPUT}) { id } }`,
};

const subscriptions: Record<string, string> = {
  'Subscription.onPriceUpdate': 'subscription { onPriceUpdate(marketId: "m") { marketId } }',
  'Subscription.onJobUpdate': 'subscription { onJobUpdate(id: "j") { id } }',
  'Subscription.onHeartbeat': 'subscription { onHeartbeat { at markets { marketId version } } }',
  'Subscription.onEventUpdate': 'subscription { onEventUpdate(sport: "football") { id status } }',
};

const READS = ['Query.event', 'Query.events', 'Query.market', 'Query.priceHistory'];
const USER_READS = [...READS, 'Query.job', 'Query.myJobs'];
/** Live state that every reader may follow: price updates, heartbeats, new and changed events. */
const LIVE = ['Subscription.onPriceUpdate', 'Subscription.onHeartbeat', 'Subscription.onEventUpdate'];
/** What each caller may do; everything else is denied. */
const allowed: Record<string, string[]> = {
  anonymous: [],
  'API key': [...READS, ...LIVE],
  'expired API key': [],
  viewer: [...USER_READS, ...LIVE, 'Subscription.onJobUpdate'],
  trader: [...USER_READS, 'Mutation.setMargin', 'Mutation.setMarketStatus', 'Mutation.startJob', 'Mutation.cancelJob', ...LIVE, 'Subscription.onJobUpdate'],
  admin: [...USER_READS, 'Mutation.startJob', 'Mutation.cancelJob', ...LIVE, 'Subscription.onJobUpdate'],
  'partner role': ['Mutation.ingestFeed'],
  'publisher role': ['Mutation.publishPriceUpdate', 'Mutation.publishJobUpdate', 'Mutation.publishHeartbeat', 'Mutation.publishEventUpdate'],
};

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
const callers: Record<string, Caller> = {};
const forged: Record<string, Caller> = {};

/** The project's assembly plus an API key that expired, as a second template would carry. */
function assemblyWithExpiredKey(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assembly-expired-key-'));
  cpSync(process.env.PRICESTREAM_TEST_ASSEMBLY!, dir, { recursive: true });
  const stack = readCloudAssembly(dir).stacks[0]!;
  const key = Object.values(stack.template.Resources).find((r) => r.Type === 'AWS::AppSync::ApiKey')!;
  stack.template.Resources.ExpiredApiKey = { Type: 'AWS::AppSync::ApiKey', Properties: { ApiId: key.Properties!.ApiId, Expires: 1_700_000_000 } };
  writeFileSync(stack.templateFile, JSON.stringify(stack.template));
  return dir;
}

beforeAll(async () => {
  runtime = await startTestRuntime({ assemblyDir: assemblyWithExpiredKey(), users });
  const api = runtime.apis[0]!;
  const now = Date.now() / 1000;
  const liveKey = api.model.apiKeys.find((k) => k.expires > now)!.value;
  const expiredKey = api.model.apiKeys.find((k) => k.expires <= now)!.value;
  const pool = runtime.model.userPools[0]!;
  const clientId = pool.clients[0]!.clientId;
  const credential = (prefix: string) => runtime.credentials.find((c) => c.name.startsWith(prefix))!;
  const viewer = await signInTokens(runtime, clientId, 'viewer', password('viewer'));

  callers.anonymous = anonymous;
  callers['API key'] = apiKey(liveKey);
  callers['expired API key'] = apiKey(expiredKey);
  callers.viewer = bearer(viewer.accessToken);
  callers.trader = bearer((await signInTokens(runtime, clientId, 'trader', password('trader'))).accessToken);
  callers.admin = bearer((await signInTokens(runtime, clientId, 'admin', password('admin'))).idToken);
  callers['partner role'] = iam(credential('PartnerFeedRole'), runtime.region);
  callers['publisher role'] = iam(credential('PricePublisherRole'), runtime.region);

  // A second pool in the same local Cognito: its tokens are well signed but not for this API.
  const cognito = new CognitoIdentityProviderClient({ endpoint: runtime.cognitoEndpoint!, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const otherPool = (await cognito.send(new CreateUserPoolCommand({ PoolName: 'someone-elses-pool' }))).UserPool!.Id!;
  const otherClient = (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: otherPool, ClientName: 'other' }))).UserPoolClient!.ClientId!;
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: otherPool, Username: 'mallory', TemporaryPassword: 'Mallory-pass-1', MessageAction: 'SUPPRESS' }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: otherPool, Username: 'mallory', Password: 'Mallory-pass-1', Permanent: true }));
  const foreignClient = (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientName: 'not-the-app-client' }))).UserPoolClient!.ClientId!;
  cognito.destroy();

  forged['tampered JWT'] = bearer(tamperedJwt(viewer.accessToken, { 'cognito:groups': ['admins'] }));
  forged['alg none JWT'] = bearer(unsignedJwt(viewer.accessToken));
  forged['expired JWT'] = bearer(tamperedJwt(viewer.idToken, { exp: Math.floor(now) - 60 }));
  forged['JWT from another pool'] = bearer((await signInTokens(runtime, otherClient, 'mallory', 'Mallory-pass-1')).accessToken);
  forged['wrong client id'] = bearer((await signInTokens(runtime, foreignClient, 'viewer', password('viewer'))).accessToken);
  forged['wrong SigV4 secret'] = iam({ ...credential('PricePublisherRole'), secretAccessKey: 'not-the-secret' }, runtime.region);
  forged['stale SigV4 date'] = iam(credential('PricePublisherRole'), runtime.region, { signingDate: new Date(Date.now() - 10 * 60_000) });
  forged['replayed SigV4 body'] = iam(credential('PricePublisherRole'), runtime.region, { signedBody: JSON.stringify({ query: '{ market(id: "other") { id } }', variables: {} }) });
});

afterAll(() => runtime?.stop());

const cells = Object.entries(allowed).flatMap(([caller, allows]) => Object.keys(operations).map((op) => ({ caller, op, expected: allows.includes(op) ? 'allow' : 'deny' })));

describe('HTTP: every operation × every caller', () => {
  it.each(cells)('$caller → $op: $expected', async ({ caller, op, expected }) => {
    const { status, body } = await postGraphql(runtime.apis[0]!.graphqlUrl, callers[caller]!, operations[op]!);
    const field = op.split('.')[1]!;
    const denied = status === 401 || (body.errors ?? []).some((e) => e.errorType === 'Unauthorized' && e.message === `Not Authorized to access ${field} on type ${op.split('.')[0]}`);
    expect({ status, denied, body: denied === (expected === 'deny') ? 'as expected' : body }).toEqual({
      status: ['anonymous', 'expired API key'].includes(caller) ? 401 : 200,
      denied: expected === 'deny',
      body: 'as expected',
    });
  });
});

const FORGED = ['tampered JWT', 'alg none JWT', 'expired JWT', 'JWT from another pool', 'wrong client id', 'wrong SigV4 secret', 'stale SigV4 date', 'replayed SigV4 body'];

describe('HTTP: forged credentials × every operation are refused with 401 UnauthorizedException', () => {
  const forgedCells = FORGED.flatMap((name) => Object.keys(operations).map((op) => ({ name, op })));
  it.each(forgedCells)('$name → $op', async ({ name, op }) => {
    const { status, body } = await postGraphql(runtime.apis[0]!.graphqlUrl, forged[name]!, operations[op]!);
    expect({ status, errorType: body.errors?.[0]?.errorType, data: body.data }).toEqual({ status: 401, errorType: 'UnauthorizedException', data: undefined });
  });
});

describe('WebSocket: forged credentials in a start frame are refused, on a connection opened with a good key', () => {
  const forgedCells = FORGED.flatMap((name) => Object.keys(subscriptions).map((op) => ({ name, op })));
  it.each(forgedCells)('$name → $op', async ({ name, op }) => {
    const api = runtime.apis[0]!;
    const connection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, await callers['API key']!(new URL(`${api.graphqlUrl}/connect`), '{}'));
    connection.send({ type: 'connection_init' });
    await connection.next((f) => f.type === 'connection_ack');
    const data = JSON.stringify({ query: subscriptions[op], variables: {} });
    connection.send({ id: 'forged-1', type: 'start', payload: { data, extensions: { authorization: await forged[name]!(new URL(api.graphqlUrl), data) } } });
    const answer = await connection.next((f) => f.id === 'forged-1' && (f.type === 'start_ack' || f.type === 'error'));
    connection.close();
    expect(answer.type).toBe('error');
    expect(JSON.stringify(answer.payload)).toContain('UnauthorizedException');
  });
});

describe('WebSocket: every subscription × every caller, auth at start', () => {
  const wsCells = Object.entries(allowed).flatMap(([caller, allows]) => Object.keys(subscriptions).map((op) => ({ caller, op, expected: allows.includes(op) ? 'allow' : 'deny' })));
  it.each(wsCells)('$caller → $op: $expected', async ({ caller, op, expected }) => {
    const api = runtime.apis[0]!;
    const graphql = new URL(api.graphqlUrl);
    const connection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, await callers['API key']!(new URL(`${api.graphqlUrl}/connect`), '{}'));
    connection.send({ type: 'connection_init' });
    await connection.next((f) => f.type === 'connection_ack');
    const data = JSON.stringify({ query: subscriptions[op], variables: {} });
    connection.send({ id: 'sub-1', type: 'start', payload: { data, extensions: { authorization: await callers[caller]!(graphql, data) } } });
    const answer = await connection.next((f) => f.id === 'sub-1' && (f.type === 'start_ack' || f.type === 'error'));
    connection.close();
    expect(answer.type === 'start_ack' ? 'allow' : 'deny').toBe(expected);
  });
});

describe('WebSocket: handshakes with bad credentials get connection_error 401', () => {
  const bad = ['anonymous', 'expired API key'];
  it.each([...bad.map((name) => ({ name, kind: 'caller' })), ...Object.keys({ 'tampered JWT': 1, 'alg none JWT': 1, 'expired JWT': 1, 'JWT from another pool': 1, 'wrong client id': 1, 'wrong SigV4 secret': 1, 'stale SigV4 date': 1 }).map((name) => ({ name, kind: 'forged' }))])(
    '$name',
    async ({ name, kind }) => {
      const api = runtime.apis[0]!;
      const caller = (kind === 'caller' ? callers : forged)[name]!;
      const connection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, await caller(new URL(`${api.graphqlUrl}/connect`), '{}'));
      connection.send({ type: 'connection_init' });
      const answer = await connection.next((f) => f.type === 'connection_error' || f.type === 'connection_ack');
      connection.close();
      expect(answer).toEqual({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }] } });
    },
  );

  it('accepts the handshake of the publisher role signed as Amplify signs it (POST <graphql url>/connect, body {})', async () => {
    const api = runtime.apis[0]!;
    const connection = await connectRealtime(`wss://localhost:${api.port}/graphql/realtime`, await callers['publisher role']!(new URL(`${api.graphqlUrl}/connect`), '{}'), 'query');
    connection.send({ type: 'connection_init' });
    expect((await connection.next((f) => f.type === 'connection_ack' || f.type === 'connection_error')).type).toBe('connection_ack');
    connection.close();
  });
});
