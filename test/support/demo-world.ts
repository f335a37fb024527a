import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemoFeed } from '../../client/demo/run-demo-feed.ts';
import type { AppSyncClient } from '../../sdk/appsync-client.ts';
import { startDynamoDbLocal } from '../../local/dynamodb/server.ts';
import { buildWeb } from '../../web/build.ts';
import { startTestRuntime } from '../integration/test-runtime.ts';
import type { ChaosWorld } from './chaos-world.ts';
import { openDemoEvent } from './pricestream.ts';

/**
 * A runtime with the demo event open and its feed repricing every market every second; with
 * `web`, it also serves the console. The network-failure tests share one (chaos-world-setup.ts
 * starts it in the vitest process); a file may start its own (live-markets-harness.ts).
 * With `ownDynamoDb`, its DynamoDB Local is its own rather than one of the run's pool
 * (support/dynamodb-pool.ts). Returns where to reach it, the partner's client that feeds it, and how to stop it (more than
 * once is fine).
 */
export async function startDemoWorld(options: { web: boolean; ownDynamoDb?: boolean; log(line: string): void }): Promise<{ world: ChaosWorld; partner: AppSyncClient; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pricestream-demo-world-'));
  let webRoot: string | undefined;
  if (options.web) await buildWeb((webRoot = join(dir, 'web')));
  const runtime = await startTestRuntime({ ...(webRoot && { webRoot }), ...(options.ownDynamoDb && { startDynamoDb: startDynamoDbLocal }) });
  try {
    const { feed, partner } = await openDemoEvent(runtime, `demo-world-${Date.now()}`);
    const runner = await runDemoFeed({ client: partner, feed, intervalMs: 1_000, reportEveryMs: 3_600_000, log: options.log });
    const api = runtime.apis[0]!;
    let stopped: Promise<void> | undefined;
    return {
      world: { port: api.port, graphqlUrl: api.graphqlUrl, apiKey: api.model.apiKeys[0]!.value, outputsPath: runtime.outputsPath },
      partner,
      // The shared one stops when the last network-failure file ends (chaos-world-reporter.ts), then again at teardown.
      stop: () =>
        (stopped ??= (async () => {
          await runner.stop();
          partner.close();
          await runtime.stop();
          rmSync(dir, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    await runtime.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
