import { globSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer, { NETWORK_CHAOS_FILES } from './test/slow-first-sequencer.ts';

/**
 * Unit files that import the Lambda handlers: a handler keeps its SDK client and its
 * configuration (tables, endpoint) in module scope, read once from the environment that each
 * file sets to its own DynamoDB Local (test/unit/functions/support/tables.ts). They stay isolated.
 */
const MODULE_STATE = /^test\/unit\/(functions\/|client\/clis\.test\.ts$)/;
/** The files of the 'unit' project, which share their workers' modules (below). */
const SHARED_MODULE_FILES = globSync(['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts'], { cwd: import.meta.dirname }).filter((path) => !MODULE_STATE.test(path));

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
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [...NETWORK_CHAOS_FILES, ...SHARED_MODULE_FILES], setupFiles: ['test/lower-priority.ts'] } },
      // Unit files that hold no state in the modules they import share their workers' modules
      // rather than load them again for every file: most of them check resolver code, which
      // loads TypeScript and ESLint (~1.3 s of CPU) on first use. Measured on 2 cores: the unit
      // files took 191 CPU-s and 103 s isolated, 73–90 CPU-s and 41–51 s shared.
      { extends: true, test: { name: 'unit', include: SHARED_MODULE_FILES, isolate: false, setupFiles: ['test/lower-priority.ts'] } },
      // The network-failure tests share one runtime and demo feed (test/support/chaos-world.ts).
      { extends: true, test: { name: 'network-chaos', include: NETWORK_CHAOS_FILES, globalSetup: ['test/chaos-world-setup.ts'] } },
    ],
  },
});
