import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../local/assembly/synth.ts';
import { ensureLocalTls } from '../local/tls/local-ca.ts';

const DONE = Symbol.for('pricestream.test.global-setup.done');

/** The global setup of the whole run (vitest.config.ts). */
export default function setup(): Promise<() => void> {
  return prepareTestRun();
}

/**
 * Once per test run: synthesize the CDK app (every integration test runs this assembly) and
 * make a local CA that the test workers trust through NODE_EXTRA_CA_CERTS — the way a
 * Node user trusts it — so that Amplify's `wss://` connections verify the certificate.
 */
export async function prepareTestRun(): Promise<() => void> {
  // The network-chaos project's global setup (chaos-world-setup.ts) needs the assembly too, and
  // vitest runs it before the root's: whichever comes second reuses what the first made rather
  // than synthesizing again (~3.5 s). vitest imports each global setup file afresh, so the mark
  // lives on globalThis, not in a module variable.
  const shared = globalThis as { [DONE]?: true };
  if (shared[DONE]) return () => {};
  const root = mkdtempSync(join(tmpdir(), 'pricestream-test-'));
  const tls = ensureLocalTls(join(root, 'tls'));
  process.env.NODE_EXTRA_CA_CERTS = tls.caCertPath;
  process.env.PRICESTREAM_TEST_TLS_DIR = join(root, 'tls');
  // This run's memory of resolver code that passed the save-time checks: fresh each run.
  process.env.PRICESTREAM_TEST_PASSED_CHECKS_DIR = join(root, 'passed-checks');
  // Without cdk.json there is no app to run; integration tests then say so when they start.
  if (existsSync('cdk.json')) {
    process.env.PRICESTREAM_TEST_ASSEMBLY = await synthesize({ projectDir: process.cwd(), outDir: join(root, 'cdk.out') });
  }
  shared[DONE] = true;
  return () => rmSync(root, { recursive: true, force: true });
}
