import { defineConfig } from 'vitest/config';
import SlowFirstSequencer, { NETWORK_CHAOS_FILES } from './test/slow-first-sequencer.ts';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/chaos-world-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most integration files wait on the network, a JVM or a browser rather than compute, so
    // several run side by side even on two cores (vitest's default there is one): the four
    // network-failure files, started first, and two others at a time beside them (seven or
    // eight at once were no faster on 2 cores: 237 and 248 s against 222–236 s, and more CPU).
    maxWorkers: 6,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      // The rest of the suite is CPU-bound: its workers run at a lower priority, so that the
      // network-failure tests beside them keep their 2 s recovery bound (test/lower-priority.ts).
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: NETWORK_CHAOS_FILES, setupFiles: ['test/lower-priority.ts'] } },
      // The network-failure tests share one runtime and demo feed (test/support/chaos-world.ts).
      { extends: true, test: { name: 'network-chaos', include: NETWORK_CHAOS_FILES, globalSetup: ['test/chaos-world-setup.ts'] } },
    ],
  },
});
