// Positions in deployed code mapped back to the TypeScript source through the inline source map
// that AWS's bundling recipe leaves in code.js (D-BUNDLE): the resolver is bundled here exactly
// the way infra/ bundles resolvers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeRejectedError, compileHandlerCode } from '../../../local/appsync/js/index.ts';
import { invocation, recordingInvoker } from './resolver-harness.ts';
import { runResolver } from '../../../local/appsync/js/index.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'appsync-js-sourcemap-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(name: string, source: string, helper?: string): Promise<string> {
  writeFileSync(join(dir, `${name}.ts`), source);
  if (helper) writeFileSync(join(dir, 'helper.ts'), helper);
  const result = await build({
    entryPoints: [join(dir, `${name}.ts`)],
    bundle: true,
    format: 'esm',
    target: 'esnext',
    platform: 'node',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['@aws-appsync/*'],
    write: false,
    outdir: join(dir, 'out'),
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('source-mapped positions', () => {
  it('save-time problems carry the code.js position and the original file:line:column', async () => {
    const code = await bundle(
      'Query.market',
      `import { util, type Context } from '@aws-appsync/utils';
import { normalise } from './helper';

export function request(ctx: Context<{ id: string }>) {
  const id: string = normalise(ctx.args.id);
  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id }) };
}

export function response(ctx: Context) {
  return ctx.result;
}
`,
      `export function normalise(id: string): string {
  let n = 0;
  n++;
  return id.trim() + n;
}
`,
    );
    let rejected: CodeRejectedError | undefined;
    try {
      compileHandlerCode(code, 'resolvers/Query.market.ts');
    } catch (error) {
      rejected = error as CodeRejectedError;
    }
    expect(rejected).toBeInstanceOf(CodeRejectedError);
    const problem = rejected!.problems.find((p) => p.rule === '@aws-appsync/no-disallowed-unary-operators')!;
    // In code.js the helper is inlined above the handlers …
    expect(code.split('\n')[problem.line - 1]!.slice(problem.column - 1)).toMatch(/^n\+\+;/);
    // … and the source map leads back to helper.ts, line 3, column 3.
    expect(problem.original).toEqual({ source: expect.stringMatching(/helper\.ts$/), line: 3, column: 3 });
    expect(rejected!.message).toMatch(new RegExp(`helper\\.ts:3:3 \\(code\\.js:${problem.line}:${problem.column}\\) @aws-appsync/no-disallowed-unary-operators: The operator \\+\\+ is not supported`));
  });

  it('a runtime exception reports the code.js position, and the log line the original one', async () => {
    const code = await bundle(
      'Query.crash',
      `import type { Context } from '@aws-appsync/utils';

type Args = { nested?: { value: string } };

export function request(ctx: Context<Args>) {
  return { payload: ctx.args.nested!.value.length };
}

export function response(ctx: Context) {
  return ctx.result;
}
`,
    );
    const compiled = compileHandlerCode(code, 'resolvers/Query.crash.ts');
    const outcome = await runResolver(invocation({ kind: 'UNIT', typeName: 'Query', fieldName: 'crash', dataSourceName: 'none', code: compiled, maxBatchSize: 0 }), recordingInvoker().invoke);
    expect(outcome.error?.errorType).toBe('Code');
    const [, line, column] = /^code\.js:(\d+):(\d+): TypeError: Cannot read properties of undefined \(reading 'value'\)$/.exec(outcome.error!.message)!;
    expect(code.split('\n')[Number(line) - 1]!.slice(Number(column) - 1)).toMatch(/^value\.length/);
    expect(outcome.logs[0]).toMatch(/\(.*Query\.crash\.ts:6:\d+\)$/);
  });
});
