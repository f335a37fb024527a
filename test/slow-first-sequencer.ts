import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that hold the network down for tens of seconds (vitest.config.ts's network-chaos project, started first). */
export const NETWORK_CHAOS_FILES = [
  'test/browser/phone-chaos-flaps.test.ts',
  'test/browser/phone-chaos-outages.test.ts',
  'test/integration/live-markets-outages.test.ts',
  'test/integration/live-markets-unstable.test.ts',
];

/**
 * The longest of the other files, started first so that they overlap the many short ones: on a
 * fresh clone vitest has no timings and orders files by size, which can leave a minute-long
 * file to start last and finish alone.
 */
const LONGEST_FIRST = [
  ...NETWORK_CHAOS_FILES,
  'test/package/package-tarball.test.ts',
  'test/integration/child-restart.test.ts',
  'test/integration/dynamodb/server.test.ts',
  'test/integration/refused-resolver.test.ts',
  'test/integration/dynamodb/tables.test.ts',
  'test/integration/dynamodb/ttl.test.ts',
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map(({ spec }) => spec);
  }
}
