import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { synthLambdaAuthStack } from '../fixtures/lambda-auth/stack.ts';
import { postGraphql, bearer, apiKey } from '../support/callers.ts';
import { connectRealtime } from '../support/realtime-client.ts';

/**
 * AWS_LAMBDA authorization on a small test-only stack (test/fixtures/lambda-auth): AppSync's
 * request to the authorizer, its `isAuthorized` / `resolverContext` / `deniedFields` /
 * `ttlOverride` answer, the result cache, the token validation expression, and the same rules
 * on the real-time endpoint. The mode every other local emulator gets wrong.
 */

let runtime: LocalRuntime;
let url: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'lambda-auth-'));
  runtime = await startLocalRuntime({
    assemblyDir: synthLambdaAuthStack(join(root, 'cdk.out')),
    stateDir: join(root, 'state'),
    tlsDir: process.env.PRICESTREAM_TEST_TLS_DIR!,
    persistent: false,
  });
  url = runtime.apis[0]!.graphqlUrl;
});
afterAll(() => runtime?.stop());

const whoami = async (token: string, query = 'query Who { whoami }') => {
  const { status, body } = await postGraphql(url, bearer(token), query, {}, query.startsWith('query Who') ? 'Who' : undefined);
  return { status, body, identity: body.data?.whoami ? (JSON.parse(body.data.whoami as string) as { resolverContext: Record<string, string> }) : undefined };
};

describe('Lambda authorizer over HTTP', () => {
  it('authorizes with the function (given the operation) and gives resolvers its resolverContext as ctx.identity', async () => {
    const { status, identity } = await whoami('allow-alice');
    expect(status).toBe(200);
    expect(identity).toEqual({ resolverContext: { name: 'alice', invocations: expect.any(String), operation: 'Who', apiId: runtime.apis[0]!.model.apiId } });
  });

  it('nulls the deniedFields with an Unauthorized error and resolves the rest', async () => {
    const { body } = await whoami('allow-alice', '{ whoami denied }');
    expect(body.data).toEqual({ whoami: expect.any(String), denied: null });
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access denied on type Query', path: ['denied'] })]);
  });

  it('refuses with HTTP 401 when the function says isAuthorized: false, or fails', async () => {
    for (const token of ['deny-bob', 'boom-carl']) {
      const { status, body } = await whoami(token);
      expect({ token, status, body }).toEqual({ token, status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] } });
    }
  });

  it('caches an answer for the configured TTL, and not when the function returns ttlOverride: 0', async () => {
    const first = await whoami('allow-carol');
    const second = await whoami('allow-carol');
    expect(second.identity!.resolverContext.invocations).toBe(first.identity!.resolverContext.invocations);
    const uncached = await whoami('short-dave');
    const again = await whoami('short-dave');
    expect(Number(again.identity!.resolverContext.invocations)).toBe(Number(uncached.identity!.resolverContext.invocations) + 1);
  });

  it('refuses a token that does not match the identity validation expression without calling the function', async () => {
    const before = await whoami('short-erin');
    expect((await whoami('not a valid token')).status).toBe(401);
    const after = await whoami('short-erin');
    expect(Number(after.identity!.resolverContext.invocations)).toBe(Number(before.identity!.resolverContext.invocations) + 1);
  });

  it('keeps the other modes apart: the API key reads what names it and nothing Lambda-only', async () => {
    const key = runtime.apis[0]!.model.apiKeys[0]!.value;
    expect((await postGraphql(url, apiKey(key), '{ keyOnly }')).body).toEqual({ data: { keyOnly: 'null' } });
    const refused = await postGraphql(url, apiKey(key), 'mutation { ping(message: "hi") { message } }');
    expect(refused.body.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access ping on type Mutation' })]);
    expect((await postGraphql(url, bearer('allow-alice'), '{ keyOnly }')).body.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized' })]);
  });
});

describe('Lambda authorizer on the real-time endpoint', () => {
  const realtimeUrl = () => `wss://localhost:${runtime.apis[0]!.port}/graphql/realtime`;
  const header = (token: string) => ({ host: new URL(url).host, Authorization: token });

  it('refuses a handshake the function refuses with connection_error 401', async () => {
    const connection = await connectRealtime(realtimeUrl(), header('deny-bob'));
    connection.send({ type: 'connection_init' });
    const answer = await connection.next((f) => f.type === 'connection_error' || f.type === 'connection_ack');
    connection.close();
    expect(answer).toEqual({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }] } });
  });

  it('authorizes each start with its own token and delivers to the authorized subscriber', async () => {
    const connection = await connectRealtime(realtimeUrl(), header('allow-alice'));
    connection.send({ type: 'connection_init' });
    await connection.next((f) => f.type === 'connection_ack');
    const data = JSON.stringify({ query: 'subscription { onPing { message } }', variables: {} });
    connection.send({ id: 'refused', type: 'start', payload: { data, extensions: { authorization: header('deny-bob') } } });
    connection.send({ id: 'allowed', type: 'start', payload: { data, extensions: { authorization: header('allow-alice') } } });
    expect((await connection.next((f) => f.id === 'refused' && f.type !== 'ka')).type).toBe('error');
    await connection.next((f) => f.id === 'allowed' && f.type === 'start_ack');

    const { body } = await postGraphql(url, bearer('allow-frank'), 'mutation { ping(message: "hello") { message } }');
    expect(body).toEqual({ data: { ping: { message: 'hello' } } });
    expect(await connection.next((f) => f.id === 'allowed' && f.type === 'data')).toEqual({ type: 'data', id: 'allowed', payload: { data: { onPing: { message: 'hello' } } } });
    connection.close();
  });
});
