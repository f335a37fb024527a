import { readFileSync } from 'node:fs';
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { createAppSyncClient, type AppSyncClient } from '../../sdk/appsync-client.ts';
import { createDemoFeed, demoEvent } from '../../client/demo/demo-feed.ts';
import type { IngestFeedMutation } from '../../client/generated/operations.ts';
import { INGEST_FEED } from '../../client/operations/documents.ts';
import type { SeedUser } from '../../local/cognito/provision.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { eventually } from '../integration/test-runtime.ts';

/** The project's demo users (client/demo/users.json), as `npm start` seeds them. */
export const demoUsers: SeedUser[] = (JSON.parse(readFileSync(new URL('../../client/demo/users.json', import.meta.url), 'utf8')) as { users: SeedUser[] }).users;
export const passwordOf = (username: string) => demoUsers.find((u) => u.username === username)!.password;

/** The local access key standing for a role of the template (CDK suffixes logical ids with a hash). */
export function credentialFor(runtime: LocalRuntime, rolePrefix: string) {
  const credential = runtime.credentials.find((c) => c.name.startsWith(rolePrefix));
  if (!credential) throw new Error(`no local credential for a role named ${rolePrefix}*; roles: ${runtime.credentials.map((c) => c.name).join(', ')}`);
  return { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey };
}

export function roleClient(runtime: LocalRuntime, rolePrefix: string): AppSyncClient {
  return createAppSyncClient({ endpoint: runtime.apis[0]!.graphqlUrl, region: runtime.region, auth: { type: 'AWS_IAM', credentials: credentialFor(runtime, rolePrefix) } });
}

export function apiKeyClient(runtime: LocalRuntime): AppSyncClient {
  return createAppSyncClient({ endpoint: runtime.apis[0]!.graphqlUrl, auth: { type: 'API_KEY', apiKey: runtime.apis[0]!.model.apiKeys[0]!.value } });
}

/**
 * Opens the demo event through the real ingest path (the partner role's `ingestFeed`) and
 * waits until price-engine has priced every market of it.
 */
export async function openDemoEvent(runtime: LocalRuntime, feedId = `test-${Date.now()}`) {
  const feed = createDemoFeed(feedId, seeded(42));
  const partner = roleClient(runtime, 'PartnerFeedRole');
  const { ingestFeed } = await partner.request<IngestFeedMutation>(INGEST_FEED, { messages: feed.opening() });
  if (ingestFeed.accepted !== ingestFeed.results.length) throw new Error(`the demo event was not accepted: ${JSON.stringify(ingestFeed.results)}`);
  const reader = apiKeyClient(runtime);
  for (const market of demoEvent.markets) {
    await eventually(`a price for ${market.id}`, async () => {
      const { priceHistory } = await reader.request<{ priceHistory: { items: unknown[] } }>('query ($id: ID!) { priceHistory(marketId: $id) { items { version } } }', { id: market.id });
      return priceHistory.items.length > 0 ? true : undefined;
    }, 30_000);
  }
  reader.close();
  return { feed, partner };
}

/** A repeatable random source, so a test's random walk is the same every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Configures the process's Amplify singleton from the outputs file the runtime wrote, plus the
 * local Cognito endpoint (Amplify's outputs have no field for it; the runtime lists it under
 * `custom.local_runtime`), as a client of `npm start` would.
 */
export function configureAmplify(runtime: LocalRuntime): void {
  const outputs = JSON.parse(readFileSync(runtime.outputsPath, 'utf8'));
  Amplify.configure(outputs);
  const auth: ResourcesConfig['Auth'] = {
    Cognito: { userPoolId: outputs.auth.user_pool_id, userPoolClientId: outputs.auth.user_pool_client_id, userPoolEndpoint: outputs.custom.local_runtime.user_pool_endpoint },
  };
  Amplify.configure({ ...Amplify.getConfig(), Auth: auth });
}

/** A PublishPriceUpdateInput for the demo event, one selection, at `version`. */
export function priceUpdateInput(marketId: string, version: number) {
  return {
    marketId,
    eventId: demoEvent.id,
    sport: demoEvent.sport,
    version,
    status: 'OPEN',
    margin: 0.05,
    publishedAt: new Date().toISOString(),
    source: 'TRADER',
    selections: [{ selectionId: 'home', name: 'Harbour City', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 0.5263 } }],
  };
}
