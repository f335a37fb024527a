import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../../web/build.ts';

const dir = mkdtempSync(join(tmpdir(), 'pricestream-web-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildWeb', () => {
  it('writes the page, its styles and one minified ES module bundle with a source map into a new folder', async () => {
    const out = join(dir, 'nested', 'web');
    await buildWeb(out);
    expect(readdirSync(out).sort()).toEqual(['cost.css', 'cost.html', 'cost.js', 'cost.js.map', 'index.html', 'main.js', 'main.js.LEGAL.txt', 'main.js.map', 'styles.css']);

    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<script type="module" src="main.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="styles.css">');

    const bundle = readFileSync(join(out, 'main.js'), 'utf8');
    expect(bundle).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    // Minified: long lines (only template literals such as the GraphQL documents keep their line breaks).
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1000);
    // Bundled for the browser: nothing left for a loader to resolve.
    expect(bundle).not.toMatch(/\bfrom\s*["'](aws-amplify|@aws-amplify\/[^"']+|\.{1,2}\/[^"']+)["']/);

    const map = JSON.parse(readFileSync(join(out, 'main.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((source) => source.endsWith('web/src/main.ts'))).toBe(true);
    expect(map.sources.some((source) => source.includes('node_modules/@aws-amplify/api-graphql/'))).toBe(true);
  });
});
