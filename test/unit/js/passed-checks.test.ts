// Remembered passes of the save-time checks (local/appsync/js/check/passed-checks.ts): only
// passes are remembered, only for the same checker, and a remembered pass runs exactly as code
// checked afresh.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleResolverCode } from '../../../infra/appsync/bundle-resolver.ts';
import { parseHandlerModule } from '../../../local/appsync/js/check/compile-handler-code.ts';
import { checkerFingerprint } from '../../../local/appsync/js/check/passed-checks.ts';
import { transformModule } from '../../../local/appsync/js/sandbox/module-transform.ts';
import { checkHandlerCode, CodeRejectedError, compileHandlerCode, passedChecksIn } from '../../../local/appsync/js/index.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'passed-checks-'));

const PASSING = `import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
const TABLE_KEY = 'id';
export function request(ctx) { return ddb.get({ key: { [TABLE_KEY]: ctx.args.id ?? util.autoId() } }); }
export const response = (ctx) => ({ ...ctx.result, seen: util.time.nowEpochSeconds() > 0 });
`;
const REJECTED = `export function request(ctx) { try { return {}; } catch (e) { return {}; } }
export function response(ctx) { return ctx.result; }
`;

describe('passes of the save-time checks, remembered on disk', () => {
  it('remembers code that passes, and a later run (a new cache on the same folder) finds it', () => {
    const dir = freshDir();
    compileHandlerCode(PASSING, 'passing.js', passedChecksIn(dir));
    expect(readdirSync(dir)).toHaveLength(1);
    expect(passedChecksIn(dir).passed(PASSING)).toBe(true);
    expect(passedChecksIn(dir).passed(`${PASSING} `)).toBe(false);
  });

  it('never remembers rejected code: every run reports its problems in full', () => {
    const dir = freshDir();
    const problems = () => {
      try {
        compileHandlerCode(REJECTED, 'rejected.js', passedChecksIn(dir));
      } catch (error) {
        expect(error).toBeInstanceOf(CodeRejectedError);
        return (error as CodeRejectedError).problems.map((p) => p.rule);
      }
      throw new Error('the code was accepted');
    };
    const first = problems();
    expect(first.length).toBeGreaterThan(0);
    expect(problems()).toEqual(first);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not count a pass given by another checker (other package versions or rules)', () => {
    const dir = freshDir();
    writeFileSync(join(dir, createHash('sha256').update('another checker').update('\0').update(REJECTED).digest('hex')), '');
    expect(passedChecksIn(dir).passed(REJECTED)).toBe(false);
    expect(() => compileHandlerCode(REJECTED, 'rejected.js', passedChecksIn(dir))).toThrow(CodeRejectedError);
    expect(checkerFingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('transforms a remembered pass from the same tree as the checks, so it runs the same', () => {
    // This project's deployed code (bundled by esbuild, with inline source maps) and a few shapes of module.
    const resolverFiles = ['resolvers', 'resolvers/pipeline-functions'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(dir, f)));
    expect(resolverFiles.length).toBeGreaterThan(25);
    const samples = [
      ...resolverFiles.map((file) => bundleResolverCode(file)),
      PASSING,
      'export function request() { return {}; }\nexport function response(ctx) { return ctx.prev.result; }\n',
      "import { util as u } from '@aws-appsync/utils';\nfunction request(ctx) { return { payload: u.str.normalize(ctx.args.s, 'nfc') }; }\nfunction response(ctx) { return ctx.result; }\nexport { request, response as response };\n",
    ];
    for (const code of samples) {
      const checked = checkHandlerCode(code);
      expect(checked.problems).toEqual([]);
      expect(transformModule(code, parseHandlerModule(code)).script).toBe(transformModule(code, checked.ast!).script);
    }
    const dir = freshDir();
    const ctx = { args: { id: 'm1' }, result: { id: 'm1' } };
    const fresh = compileHandlerCode(PASSING, 'passing.js', passedChecksIn(dir));
    const remembered = compileHandlerCode(PASSING, 'passing.js', passedChecksIn(dir));
    expect(remembered.exports).toEqual(fresh.exports);
    expect(remembered.call('request', ctx, 1_000)).toBe(fresh.call('request', ctx, 1_000));
    expect(remembered.call('response', ctx, 1_000)).toBe(fresh.call('response', ctx, 1_000));
  });
});
