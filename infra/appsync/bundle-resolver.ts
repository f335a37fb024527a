import { buildSync, type BuildFailure } from 'esbuild';
import { isAbsolute, join, relative } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';

/** AppSync's limit on a resolver's or function's `code` (API Resolver / FunctionConfiguration). */
export const APPSYNC_CODE_LIMIT = 32768;

/**
 * Bundles one APPSYNC_JS resolver or pipeline function from TypeScript the way AWS recommends
 * (AppSync developer guide, "Bundling, TypeScript, and source maps"): esbuild, one ESM file,
 * target esnext, the runtime's `@aws-appsync/*` modules left as imports, an inline source map
 * without the sources' content. Source paths in the map are relative to the project root
 * (`resolvers/Query.event.ts`), so errors can be traced to the file that is in the repository.
 *
 * Used by the CDK stack (each resolver's asset), `npm run build` and the resolver tests, so the
 * code tested is the code deployed. Throws naming the entry when esbuild fails or the result is
 * longer than AppSync accepts.
 */
export function bundleResolverCode(entry: string): string {
  const entryPath = isAbsolute(entry) ? entry : join(PROJECT_ROOT, entry);
  const name = relative(PROJECT_ROOT, entryPath);
  let code: string;
  try {
    const result = buildSync({
      entryPoints: [entryPath],
      absWorkingDir: PROJECT_ROOT,
      // Never written (write: false); it anchors the source map's relative paths at the root.
      outfile: join(PROJECT_ROOT, 'code.js'),
      write: false,
      bundle: true,
      format: 'esm',
      target: 'esnext',
      platform: 'node',
      external: ['@aws-appsync/*'],
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
    });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    const failure = error as BuildFailure;
    const details = failure.errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`).join('\n  ');
    throw new Error(`cannot bundle resolver ${name}:\n  ${details ?? (error as Error).message}`);
  }
  if (code.length > APPSYNC_CODE_LIMIT) {
    throw new Error(`resolver ${name} bundles to ${code.length} characters; AppSync accepts at most ${APPSYNC_CODE_LIMIT} (source map included): split it or import less`);
  }
  return code;
}
