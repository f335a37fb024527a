import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb/server.ts';
import type { IngestFeedMutation } from '../../client/generated/operations.ts';
import { INGEST_FEED } from '../../client/operations/documents.ts';
import { apiKey, bearer, postGraphql, signInTokens } from '../support/callers.ts';
import { openDemoEvent, passwordOf } from '../support/pricestream.ts';
import { eventually, startTestRuntime, type TestRuntime } from './test-runtime.ts';

/**
 * DynamoDB Local's JVM and cognito-local killed (SIGKILL) while the runtime runs, with data on
 * disk: one line says what died and that it restarts; a request meanwhile gets a retryable
 * AppSync-shaped error within a bound, never a hang; afterwards the data is still there and
 * requests, the stream pipeline and sign-in work again.
 */

const MARKET = 'query ($id: ID!) { market(id: $id) { id version status } }';
let runtime: TestRuntime;
let url: string;
const key = () => apiKey(runtime.apis[0]!.model.apiKeys[0]!.value);
const readMarket = (id: string) => postGraphql(url, key(), MARKET, { id });

beforeAll(async () => {
  runtime = await startTestRuntime({ persistent: true, stateDir: mkdtempSync(join(tmpdir(), 'child-restart-')) });
  url = runtime.apis[0]!.graphqlUrl;
}, 60_000);
afterAll(() => runtime?.stop());

describe('DynamoDB Local dies', () => {
  it('says so, answers meanwhile with a retryable error, restarts with its data, and the pipeline runs again', async () => {
    const { feed, partner } = await openDemoEvent(runtime);
    const marketId = 'mkt-demo-1-match-odds';
    const before = (await readMarket(marketId)).body.data as { market: { version: number } };
    expect(before.market.version).toBeGreaterThan(0);

    const supervisor = runtime.supervisors.dynamodb;
    const pid = supervisor.current().pid;
    process.kill(pid, 'SIGKILL');

    const started = Date.now();
    const during = await readMarket(marketId);
    const answeredIn = Date.now() - started;
    expect(answeredIn).toBeLessThan(5_000);
    // UNVERIFIED: AppSync's own shape for an unavailable DynamoDB (see datasources/errors.ts).
    expect(during.body).toEqual({
      data: { market: null },
      errors: [expect.objectContaining({ errorType: 'DynamoDB:ServiceUnavailable', path: ['market'], message: expect.stringContaining('Status Code: 503') })],
    });

    const line = await eventually('the line that reports the death', () => runtime.logs.find((l) => l.startsWith(`dynamodb-local (pid ${pid}) died`)));
    expect(line).toMatch(/^dynamodb-local \(pid \d+\) died \(killed by SIGKILL\); restarting it on port \d+: its data in .+ is kept/);
    await eventually('dynamodb-local running again', () => (supervisor.state() === 'running' && supervisor.restarts() === 1 ? true : undefined), 60_000);
    expect(supervisor.current().pid).not.toBe(pid);

    expect((await readMarket(marketId)).body).toEqual({ data: { market: expect.objectContaining({ id: marketId, version: before.market.version }) } });

    // Writes and the stream pipeline (ingest → markets stream → price-engine) run again.
    const { ingestFeed } = await partner.request<IngestFeedMutation>(INGEST_FEED, { messages: feed.tick() });
    expect(ingestFeed.rejected).toBe(0);
    await eventually(
      'the market priced again after the restart',
      async () => {
        const market = (await readMarket(marketId)).body.data as { market: { version: number } | null } | null;
        return market?.market && market.market.version > before.market.version ? true : undefined;
      },
      30_000,
    );
    partner.close();
  }, 120_000);
});

describe('cognito-local dies', () => {
  it('says so, restarts on the same port with its users, and signing in works again', async () => {
    const clientId = runtime.model.userPools[0]!.clients[0]!.clientId;
    const { accessToken } = await signInTokens(runtime, clientId, 'trader', passwordOf('trader'));
    const supervisor = runtime.supervisors.cognito!;
    const pid = supervisor.current().pid;
    process.kill(pid, 'SIGKILL');

    const line = await eventually('the line that reports the death', () => runtime.logs.find((l) => l.startsWith(`cognito-local (pid ${pid}) died`)));
    expect(line).toMatch(/^cognito-local \(pid \d+\) died \(killed by SIGKILL\); restarting it on port \d+: its users and pools in .+ are kept/);
    await eventually('cognito-local running again', () => (supervisor.state() === 'running' && supervisor.restarts() === 1 ? true : undefined), 60_000);
    expect(supervisor.current().endpoint).toBe(runtime.cognitoEndpoint);

    const again = await signInTokens(runtime, clientId, 'trader', passwordOf('trader'));
    expect(again.accessToken).toEqual(expect.any(String));
    // A token issued before the restart still verifies: same port, same issuer, same keys.
    const { body } = await postGraphql(url, bearer(accessToken), 'query { myJobs { items { id } } }');
    expect(body.errors).toBeUndefined();
  }, 90_000);
});

describe('DynamoDB Local dies in an in-memory run', () => {
  it('says the data is gone, creates the tables again, and the pipeline runs on the new streams', async () => {
    // A JVM of its own, not one of the run's pool (test-runtime.ts): this test kills it.
    const memory = await startTestRuntime({ startDynamoDb: startDynamoDbLocal });
    try {
      await openDemoEvent(memory);
      const supervisor = memory.supervisors.dynamodb;
      const pid = supervisor.current().pid;
      process.kill(pid, 'SIGKILL');
      const line = await eventually('the line that reports the death', () => memory.logs.find((l) => l.startsWith(`dynamodb-local (pid ${pid}) died`)));
      expect(line).toContain('it ran in memory (--in-memory), so every table and item it held is gone; the tables of the assembly are created again, empty');
      await eventually('dynamodb-local running again', () => (supervisor.state() === 'running' ? true : undefined), 60_000);

      const read = (id: string) => postGraphql(memory.apis[0]!.graphqlUrl, apiKey(memory.apis[0]!.model.apiKeys[0]!.value), MARKET, { id });
      expect((await read('mkt-demo-1-match-odds')).body).toEqual({ data: { market: null } });
      // The feed opens the event again through the whole pipeline, on the new tables' streams.
      await openDemoEvent(memory, 'after-restart');
      expect((await read('mkt-demo-1-match-odds')).body).toEqual({ data: { market: expect.objectContaining({ id: 'mkt-demo-1-match-odds' }) } });
    } finally {
      await memory.stop();
    }
  }, 120_000);
});
