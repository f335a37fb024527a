import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemoFeed } from '../../client/demo/run-demo-feed.ts';
import { buildWeb } from '../../web/build.ts';
import { startTestRuntime } from '../integration/test-runtime.ts';
import type { ChaosWorld } from './chaos-world.ts';
import { openDemoEvent } from './pricestream.ts';

/** Starts the shared world of the network-failure tests (chaos-world.ts) in the vitest process (test/chaos-world-setup.ts); returns what the files get, and how to stop it (more than once is fine). */
export async function startChaosWorld(log: (line: string) => void): Promise<{ world: ChaosWorld; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pricestream-chaos-world-'));
  const webRoot = join(dir, 'web');
  await buildWeb(webRoot);
  const runtime = await startTestRuntime({ webRoot });
  try {
    const { feed, partner } = await openDemoEvent(runtime, `chaos-world-${Date.now()}`);
    const runner = await runDemoFeed({ client: partner, feed, intervalMs: 1_000, reportEveryMs: 3_600_000, log });
    const api = runtime.apis[0]!;
    let stopped: Promise<void> | undefined;
    return {
      world: { port: api.port, graphqlUrl: api.graphqlUrl, apiKey: api.model.apiKeys[0]!.value, outputsPath: runtime.outputsPath },
      // Once: when the last network-failure file ends (chaos-world-reporter.ts), then at teardown.
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
