import { inject } from 'vitest';
import { createAppSyncClient, type AppSyncClient } from '../../sdk/appsync-client.ts';

/**
 * The one world that every network-failure test file shares (vitest.config.ts's `network-chaos`
 * project): the local runtime serving the console, with the demo event open and its feed
 * repricing every market every second. Each file brings only its own client (an Amplify client
 * in Node, or a phone's Chromium) and its own chaos proxy in front of this runtime. One world
 * instead of one per file: the files run beside the rest of the suite, and four runtimes each
 * ticking a feed for two minutes were most of their CPU. test/chaos-world-setup.ts starts it
 * (demo-world.ts), in the vitest process.
 */
export interface ChaosWorld {
  /** The API's port (HTTP and WebSocket, plain and TLS), which each file's proxy forwards to. */
  port: number;
  graphqlUrl: string;
  apiKey: string;
  /** amplify_outputs.json of the runtime, which clients configure Amplify from. */
  outputsPath: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    chaosWorld: ChaosWorld;
  }
}

/** The shared world, in a test file of the `network-chaos` project. */
export function chaosWorld(): ChaosWorld {
  const world = inject('chaosWorld');
  if (!world) throw new Error('no shared chaos world: this file belongs to the network-chaos project (vitest.config.ts), whose global setup starts it');
  return world;
}

/** A client that reads the server's truth straight from the runtime, by API key. */
export function worldReader(world: ChaosWorld): AppSyncClient {
  return createAppSyncClient({ endpoint: world.graphqlUrl, auth: { type: 'API_KEY', apiKey: world.apiKey } });
}
