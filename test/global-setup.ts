import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../local/assembly/synth.ts';
import { ensureLocalTls } from '../local/tls/local-ca.ts';
import { POOL_ENV, startDynamoDbPool } from './support/dynamodb-pool.ts';

const DONE = Symbol.for('pricestream.test.global-setup.done');

/** The global setup of the whole run (vitest.config.ts). */
export default function setup(): Promise<() => Promise<void>> {
  return prepareTestRun();
}

/**
 * Once per test run: synthesize the CDK app (every integration test runs this assembly), start
 * the pool of DynamoDB Local JVMs that test files lease (support/dynamodb-pool.ts), and make a
 * local CA that the test workers trust through NODE_EXTRA_CA_CERTS — the way a Node user
 * trusts it — so that Amplify's `wss://` connections verify the certificate.
 */
export async function prepareTestRun(): Promise<() => Promise<void>> {
  // The network-chaos project's global setup (chaos-world-setup.ts) needs the assembly too, and
  // vitest runs it before the root's: whichever comes second reuses what the first made rather
  // than synthesizing again (~3.5 s). vitest imports each global setup file afresh, so the mark
  // lives on globalThis, not in a module variable.
  const shared = globalThis as { [DONE]?: true };
  if (shared[DONE]) return async () => {};
  const root = mkdtempSync(join(tmpdir(), 'pricestream-test-'));
  const tls = ensureLocalTls(join(root, 'tls'));
  process.env.NODE_EXTRA_CA_CERTS = tls.caCertPath;
  process.env.PRICESTREAM_TEST_TLS_DIR = join(root, 'tls');
  // This run's memory of resolver code that passed the save-time checks: fresh each run.
  process.env.PRICESTREAM_TEST_PASSED_CHECKS_DIR = join(root, 'passed-checks');
  // DynamoDB Local in tests (the pool's JVMs, and those of files that start their own) does
  // little work, and most of its CPU went to compiling it: C1 alone halves a JVM's start-up CPU
  // (3.5 → 1.8 CPU-s measured) and C2 never pays back here. The runtime's users keep the
  // default. Workers inherit this, as they do the variables above.
  process.env.JDK_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';
  // Warm JVMs for the first files that lease one, started while the app is synthesized.
  const pool = await startDynamoDbPool({ warm: 2, log: (line) => console.error(line) });
  process.env[POOL_ENV] = pool.url;
  // Without cdk.json there is no app to run; integration tests then say so when they start.
  if (existsSync('cdk.json')) {
    process.env.PRICESTREAM_TEST_ASSEMBLY = await synthesize({ projectDir: process.cwd(), outDir: join(root, 'cdk.out') });
  }
  shared[DONE] = true;
  return async () => {
    await pool.stop();
    rmSync(root, { recursive: true, force: true });
  };
}
