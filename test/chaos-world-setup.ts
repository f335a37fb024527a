import type { TestProject } from 'vitest/node';
import { STOP_CHAOS_WORLD } from './chaos-world-reporter.ts';
import { prepareTestRun } from './global-setup.ts';
import { startDemoWorld } from './support/demo-world.ts';

/** The global setup of the network-chaos project (vitest.config.ts): the world its files share (support/chaos-world.ts). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanup = await prepareTestRun();
  // Its own JVM, at this process's priority: the pool's run at the suite's lower one, and this
  // world serves the tests that hold recovery to 2 s.
  const { world, stop } = await startDemoWorld({ web: true, ownDynamoDb: true, log: (line) => console.error(`[chaos world] ${line}`) });
  project.provide('chaosWorld', world);
  (globalThis as { [STOP_CHAOS_WORLD]?: () => Promise<void> })[STOP_CHAOS_WORLD] = stop;
  return async () => {
    await stop();
    await cleanup();
  };
}
