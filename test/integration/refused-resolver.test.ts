import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleResolverCode } from '../../infra/appsync/bundle-resolver.ts';
import { readCloudAssembly } from '../../local/assembly/cloud-assembly.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import { leaseDynamoDbLocal } from '../support/dynamodb-pool.ts';

/**
 * Code AppSync would refuse on save makes the runtime refuse to start, naming the resolver, the
 * source file, line and column (through the bundle's inline source map) and the rule — the way
 * a deploy would fail, before any request is served.
 */

const BAD_RESOLVER = `import { util } from '@aws-appsync/utils';
import { get } from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  try {
    return get({ key: { id: ctx.args.id } });
  } catch (error) {
    return util.error('never');
  }
}

export function response(ctx) {
  const Wrapper = class { constructor(v) { this.v = v; } };
  return new Wrapper(ctx.result).v;
}
`;

/** The project's assembly with the Query.market resolver's code replaced by a bundle of `sourceFile`. */
function assemblyWithMarketResolver(sourceFile: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'refused-resolver-')), 'cdk.out');
  cpSync(process.env.PRICESTREAM_TEST_ASSEMBLY!, dir, { recursive: true });
  const assembly = readCloudAssembly(dir);
  const stack = assembly.stacks[0]!;
  const resolver = Object.values(stack.template.Resources).find((r) => r.Type === 'AWS::AppSync::Resolver' && r.Properties?.FieldName === 'market')!;
  const location = JSON.stringify(resolver.Properties!.CodeS3Location);
  const asset = assembly.assets.find((a) => a.objectKeys.some((key) => location.includes(key)))!;
  writeFileSync(asset.path, bundleResolverCode(sourceFile));
  return dir;
}

describe('save-time checks at start', () => {
  it('refuses to start on a try block and a class expression, naming file, line and rule of each', async () => {
    const sourceFile = join(mkdtempSync(join(tmpdir(), 'bad-resolver-')), 'Query.market.ts');
    writeFileSync(sourceFile, BAD_RESOLVER);
    const dir = assemblyWithMarketResolver(sourceFile);
    const started = startLocalRuntime({ assemblyDir: dir, stateDir: mkdtempSync(join(tmpdir(), 'refused-state-')), tlsDir: process.env.PRICESTREAM_TEST_TLS_DIR!, persistent: false, startDynamoDb: leaseDynamoDbLocal });
    const error = (await started.then(
      (runtime) => runtime.stop().then(() => undefined),
      (e: Error) => e,
    )) as Error | undefined;
    expect(error, 'the runtime started on code AppSync refuses').toBeInstanceOf(Error);
    const message = error!.message;
    expect(message).toMatch(/Query\.market/);
    expect(message).toMatch(/Query\.market\.ts:5:\d+ .*no-try/);
    expect(message).toMatch(/Query\.market\.ts:13:\d+ .*class/i);
    expect(message).toMatch(/code\.js:\d+:\d+/);
  });

  it('starts when the same resolver is written the way AppSync accepts', async () => {
    const dir = assemblyWithMarketResolver(fileURLToPath(new URL('../../resolvers/Query.market.ts', import.meta.url)));
    const runtime = await startLocalRuntime({ assemblyDir: dir, stateDir: mkdtempSync(join(tmpdir(), 'refused-state-')), tlsDir: process.env.PRICESTREAM_TEST_TLS_DIR!, persistent: false, startDynamoDb: leaseDynamoDbLocal });
    await runtime.stop();
  });
});
