// `npm run build [-- --outdir <dir>]`: bundles every resolver and pipeline function of the
// catalog as the stack deploys them, into <dir> (default cdk.out/resolvers), one file each
// (`Query.event.js`, `pipeline-functions/createJob.js`), and prints their sizes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APPSYNC_CODE_LIMIT, bundleResolverCode } from './appsync/bundle-resolver.ts';
import { PIPELINE_FUNCTIONS, RESOLVERS } from './appsync/resolver-catalog.ts';
import { PROJECT_ROOT } from './paths.ts';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: join(PROJECT_ROOT, 'cdk.out', 'resolvers') } } });
const outdir = resolve(values.outdir!);
const entries = [...RESOLVERS.map((r) => r.entry), ...PIPELINE_FUNCTIONS.map((f) => f.entry)];

let failed = 0;
for (const entry of entries) {
  const target = join(outdir, entry.replace(/^resolvers\//, '').replace(/\.ts$/, '.js'));
  try {
    const code = bundleResolverCode(entry);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
    console.log(`${entry.padEnd(48)} ${String(code.length).padStart(6)} / ${APPSYNC_CODE_LIMIT} chars`);
  } catch (error) {
    failed++;
    console.error((error as Error).message);
  }
}
console.log(`${entries.length - failed} of ${entries.length} bundled into ${outdir}`);
process.exitCode = failed > 0 ? 1 : 0;
