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
    expect(readdirSync(out).sort()).toEqual(['cost.css', 'cost.html', 'cost.js', 'cost.js.map', 'icons', 'index.html', 'main.js', 'main.js.LEGAL.txt', 'main.js.map', 'manifest.webmanifest', 'styles.css', 'sw.js']);

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

  it('makes the app installable: a manifest whose icons are PNGs of their stated sizes, and a service worker stamped per build', async () => {
    const out = join(dir, 'pwa');
    await buildWeb(out);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<link rel="manifest" href="manifest.webmanifest">');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.webmanifest'), 'utf8')) as { display: string; start_url: string; icons: { src: string; sizes: string; type: string; purpose: string }[] };
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of manifest.icons) {
      const png = readFileSync(join(out, icon.src));
      // PNG signature, then IHDR's width and height (big-endian at bytes 16 and 20).
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    }
    const worker = readFileSync(join(out, 'sw.js'), 'utf8');
    expect(worker).not.toContain('__BUILD_ID__');
    expect(worker).toMatch(/const CACHE = 'pricestream-shell-[0-9a-f-]{36}';/);
    await buildWeb(join(dir, 'pwa-again'));
    expect(readFileSync(join(dir, 'pwa-again', 'sw.js'), 'utf8')).not.toBe(worker);
  });
});
