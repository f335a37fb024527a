import { fileURLToPath } from 'node:url';
import type { LambdaFunctionModel } from '../../../local/assembly/model.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

/** A handler folder of test/fixtures/lambda, as CDK would stage it. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/lambda/${name}`, import.meta.url));
}

/** A function of the model, as the assembly reader builds it from a template. */
export function lambdaFunction(name: string, overrides: Partial<LambdaFunctionModel> = {}): LambdaFunctionModel {
  return {
    stackName: 'Test',
    logicalId: `${name}Function`,
    functionName: name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    handler: 'index.handler',
    runtime: 'nodejs24.x',
    codeDir: fixtureDir('esm'),
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: {},
    ...overrides,
  };
}

/** Collects log lines and waits for one to appear. */
export function logCollector() {
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; done: (line: string) => void }[] = [];
  return {
    lines,
    log: (line: string) => {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.done(line);
        }
      }
    },
    waitFor(test: (line: string) => boolean): Promise<string> {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((done) => waiters.push({ test, done }));
    },
  };
}
