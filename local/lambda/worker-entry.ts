import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Run from source this module is .ts, from the package's build .js: the worker is a sibling of the same kind.
const BOOTSTRAP = new URL(`./worker/bootstrap${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

let entry: URL | undefined;

/**
 * The module a Lambda execution environment's worker thread runs. From the package's build,
 * the bootstrap's .js. From source, the bootstrap bundled once per process into one .mjs: a
 * thread whose first module is TypeScript starts Node's type stripper (amaro, in WebAssembly)
 * first, ~70 ms of CPU more per cold start (measured: 134–145 against 66–72 ms for an empty
 * worker), and the test suite starts hundreds. Bundling needs esbuild, which is there wherever
 * the runtime runs from source (this repository's dev dependencies).
 */
export function workerEntry(): URL {
  if (entry) return entry;
  if (!BOOTSTRAP.pathname.endsWith('.ts')) return (entry = BOOTSTRAP);
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const { outputFiles } = esbuild.buildSync({ entryPoints: [fileURLToPath(BOOTSTRAP)], bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false });
  const code = outputFiles[0]!.text;
  const dir = join(tmpdir(), 'appsync-local-lambda-worker');
  const file = join(dir, `bootstrap-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written aside, then renamed: processes starting at once never load a half-written file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return (entry = pathToFileURL(file));
}
