import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { iconPng } from './icons.ts';

const WEB_DIR = dirname(fileURLToPath(import.meta.url));
/** Copied as they are next to the bundle. */
const STATIC_FILES = ['index.html', 'styles.css', 'manifest.webmanifest', 'cost.html', 'cost.css'];
/** The manifest's icons: size, maskable, file. */
const ICONS: [number, boolean, string][] = [
  [192, false, 'icon-192.png'],
  [512, false, 'icon-512.png'],
  [512, true, 'icon-maskable-512.png'],
];

/**
 * Builds the price board and trader console into `outDir` (created if missing): `main.js`, one
 * minified ES module bundling web/src/main.ts with aws-amplify for browsers, its source map,
 * index.html, styles.css, the web manifest with its PNG icons (drawn here) and the app shell's
 * service worker `sw.js`, stamped with this build's id so that browsers replace the cached shell;
 * and the cost page, cost.html with cost.js (web/src/cost/main.ts).
 * The local runtime serves the folder as its `webRoot`; `sw.js` at the root so that its scope
 * is the whole app.
 */
export async function buildWeb(outDir: string): Promise<void> {
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const entry = join(WEB_DIR, 'src', 'main.ts');
  try {
    await build({
      // The console, and the cost page (cost.html), which runs cost/model in the browser.
      entryPoints: { main: entry, cost: join(WEB_DIR, 'src', 'cost', 'main.ts') },
      outdir: out,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      // Browsers with top-level await, private fields and WebSocket sub-protocols, as Amplify v6 needs.
      target: ['es2022'],
      minify: true,
      sourcemap: true,
      legalComments: 'linked',
      logLevel: 'silent',
    });
  } catch (error) {
    const problems = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
    const detail = problems?.map((p) => (p.location ? `${p.location.file}:${p.location.line}:${p.location.column}: ${p.text}` : p.text)).join('\n');
    throw new Error(`building ${entry} into ${out} failed:\n${detail ?? (error as Error).message}`, { cause: error });
  }
  for (const file of STATIC_FILES) copyFileSync(join(WEB_DIR, file), join(out, file));
  mkdirSync(join(out, 'icons'), { recursive: true });
  for (const [size, maskable, file] of ICONS) writeFileSync(join(out, 'icons', file), iconPng(size, maskable));
  writeFileSync(join(out, 'sw.js'), readFileSync(join(WEB_DIR, 'sw.js'), 'utf8').replaceAll('__BUILD_ID__', randomUUID()));
}

if (import.meta.main) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: npx node web/build.ts <outDir>');
    process.exit(2);
  }
  const started = performance.now();
  try {
    await buildWeb(outDir);
    console.log(`web: built into ${resolve(outDir)} in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
