import { defineConfig } from 'vitest/config';
import SlowFirstSequencer, { NETWORK_CHAOS_FILES } from './test/slow-first-sequencer.ts';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most integration files wait on the network, a JVM or a browser rather than compute, so
    // four run side by side even on two cores (vitest's default there is one).
    maxWorkers: 4,
    sequence: { sequencer: SlowFirstSequencer },
    env: {
      // DynamoDB Local in tests lives for seconds: C1 alone halves the JVM's start-up CPU
      // (3.5 → 1.8 CPU-s measured), which the runtime's users do not need to trade.
      JDK_JAVA_OPTIONS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
    },
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: NETWORK_CHAOS_FILES, sequence: { groupOrder: 0 } } },
      // The outage tests hold recovery to 2 s of wall time, which CPU-bound neighbours would
      // stretch: they run after the rest, two at a time (four at once, each with its own
      // runtime and browser, once took 2.2 s to recover on two cores).
      { extends: true, test: { name: 'network-chaos', include: NETWORK_CHAOS_FILES, maxWorkers: 2, sequence: { groupOrder: 1 } } },
    ],
  },
});
