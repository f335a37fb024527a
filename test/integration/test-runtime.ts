import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../local/runtime.ts';
import { leaseDynamoDbLocal } from '../support/dynamodb-pool.ts';
import { demoUsers } from '../support/pricestream.ts';

export { eventually } from '../support/eventually.ts';

export type TestRuntime = LocalRuntime & { logs: string[] };

/**
 * Starts the local runtime on the assembly that the global setup synthesized: free ports,
 * data in memory (in a DynamoDB Local from the run's pool), the CA the test workers trust,
 * the demo users. Logs are kept for failure messages.
 */
export async function startTestRuntime(overrides: Partial<LocalRuntimeOptions> = {}): Promise<TestRuntime> {
  const assemblyDir = process.env.PRICESTREAM_TEST_ASSEMBLY;
  const tlsDir = process.env.PRICESTREAM_TEST_TLS_DIR;
  if (!assemblyDir || !tlsDir) throw new Error('no assembly to run: test/global-setup.ts synthesizes the CDK app of cdk.json and makes the CA (run the tests through vitest, from the project folder)');
  const logs: string[] = [];
  const runtime = await startLocalRuntime({
    assemblyDir,
    tlsDir,
    stateDir: mkdtempSync(join(tmpdir(), 'pricestream-state-')),
    // Shared by the run's runtimes, so that only the first checks each resolver (global-setup.ts).
    ...(process.env.PRICESTREAM_TEST_PASSED_CHECKS_DIR && { passedChecksDir: process.env.PRICESTREAM_TEST_PASSED_CHECKS_DIR }),
    persistent: false,
    port: 0,
    users: demoUsers,
    log: (line) => logs.push(line),
    startDynamoDb: leaseDynamoDbLocal,
    ...overrides,
  });
  return Object.assign(runtime, { logs });
}
