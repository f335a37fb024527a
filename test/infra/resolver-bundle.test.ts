import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPSYNC_CODE_LIMIT, bundleResolverCode } from '../../infra/appsync/bundle-resolver.ts';
import { PIPELINE_FUNCTIONS, RESOLVERS } from '../../infra/appsync/resolver-catalog.ts';

const scratch = mkdtempSync(join(tmpdir(), 'pricestream-bundle-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The inline source map of a bundle, decoded. */
function sourceMapOf(code: string): { sources: string[]; sourcesContent?: unknown; mappings: string } {
  const match = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  expect(match, 'an inline source map at the end').not.toBeNull();
  return JSON.parse(Buffer.from(match![1]!, 'base64').toString('utf8'));
}

describe('bundleResolverCode: resolvers bundled the way AWS recommends', () => {
  const entries = [...RESOLVERS.map((r) => r.entry), ...PIPELINE_FUNCTIONS.map((f) => f.entry)];

  for (const entry of entries) {
    it(`${entry}: one ESM module exporting request and response, importing only @aws-appsync/*, within AppSync's size limit`, () => {
      const code = bundleResolverCode(entry);
      expect(code.length).toBeLessThanOrEqual(APPSYNC_CODE_LIMIT);
      expect(code).toMatch(/^export \{[^}]*\brequest\b[^}]*\}/m);
      expect(code).toMatch(/^export \{[^}]*\bresponse\b[^}]*\}/m);
      const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
      expect(imports.every((m) => /^@aws-appsync\/utils(\/dynamodb)?$/.test(m!)), imports.join(', ')).toBe(true);
      // Nothing of TypeScript or of the generated schema types survives.
      expect(code).not.toMatch(/schema\/generated|import type/);
      const map = sourceMapOf(code);
      expect(map.sourcesContent).toBeUndefined();
      expect(map.sources).toContain(entry);
      expect(map.sources.every((s) => s.startsWith('resolvers/'))).toBe(true);
    });
  }

  it('bundles the same entry to the same code (assets hash by output)', () => {
    expect(bundleResolverCode('resolvers/Query.market.ts')).toBe(bundleResolverCode('resolvers/Query.market.ts'));
  });

  it('names the entry and the problem when esbuild cannot bundle it', () => {
    const broken = join(scratch, 'broken.ts');
    writeFileSync(broken, "import { missing } from './nowhere.ts';\nexport function request() { return missing; }\nexport function response() { return null; }\n");
    expect(() => bundleResolverCode(broken)).toThrow(/cannot bundle resolver .*broken\.ts:\n.*broken\.ts:1:\d+: Could not resolve "\.\/nowhere\.ts"/);
  });

  it("refuses code longer than AppSync's 32768 characters, saying how long it is", () => {
    const big = join(scratch, 'big.ts');
    writeFileSync(big, `export function request() { return { payload: '${'x'.repeat(APPSYNC_CODE_LIMIT)}' }; }\nexport function response() { return null; }\n`);
    expect(() => bundleResolverCode(big)).toThrow(/big\.ts bundles to \d{5} characters; AppSync accepts at most 32768/);
  });
});
