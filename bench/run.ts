/**
 * `npm run bench`: every benchmark, one after the other (they would disturb each other run
 * together), each writing its results to bench/results/<name>.md. `npm run bench -- fanout`
 * runs only the named ones.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'report.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== bench/${name}.ts`);
  const result = spawnSync(process.execPath, [`${here}${name}.ts`], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`bench/${name}.ts failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
