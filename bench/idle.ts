/**
 * The local runtime at rest: what it costs a developer's machine while nobody uses it. Runs
 * this app's assembly (three stream mappings, the heartbeat schedule, the TTL sweeper), waits
 * until every stream shard has gone idle and the JVM's compiler has settled, then samples the
 * CPU of the runtime process, DynamoDB Local's JVM and cognito-local, and the runtime's memory.
 *
 * Run: `npm run bench -- idle` (about 1 minute) — writes bench/results/idle.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../local/assembly/synth.ts';
import { DEFAULT_TUNING } from '../local/event-sources/index.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { processCpuMs } from './feed-ingest/cpu.ts';
import { machineTable } from './report.ts';

/** Past the shards' idleAfterMs, and long enough for the JVM's JIT to quieten after start-up. */
const SETTLE_MS = DEFAULT_TUNING.idleAfterMs + 20_000;
const SAMPLES = 3;
const SAMPLE_MS = 10_000;

const loadBefore = loadavg()[0]!;
const root = mkdtempSync(join(tmpdir(), 'bench-idle-'));
const assemblyDir = await synthesize({ projectDir: join(import.meta.dirname, '..'), outDir: join(root, 'cdk.out') });
const runtime = await startLocalRuntime({ assemblyDir, stateDir: root, persistent: false, log: () => {} });
const processes = {
  runtime: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
  dynamodb: () => processCpuMs(runtime.supervisors.dynamodb.current().pid),
  cognito: () => (runtime.supervisors.cognito ? processCpuMs(runtime.supervisors.cognito.current().pid) : 0),
};
type Name = keyof typeof processes;
const names = Object.keys(processes) as Name[];

await new Promise((resume) => setTimeout(resume, SETTLE_MS));
const samples: Record<Name, number>[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const before = Object.fromEntries(names.map((n) => [n, processes[n]()])) as Record<Name, number>;
  await new Promise((resume) => setTimeout(resume, SAMPLE_MS));
  samples.push(Object.fromEntries(names.map((n) => [n, ((processes[n]() - before[n]) / SAMPLE_MS) * 100])) as Record<Name, number>);
}
const rssMb = process.memoryUsage().rss / 2 ** 20;
await runtime.stop();
rmSync(root, { recursive: true, force: true });

const cell = (n: Name) => samples.map((s) => s[n].toFixed(1)).join(', ');
const total = samples.map((s) => names.reduce((sum, n) => sum + s[n], 0).toFixed(1)).join(', ');
const report = `# The local runtime at rest

${machineTable('npm run bench -- idle', loadBefore)}

This app's assembly on the local runtime with nobody using it: three DynamoDB stream mappings
(MarketsTable, JobsTable, EventsTable), the heartbeat every 3 s, the TTL sweeper. Sampled
${SAMPLES} × ${SAMPLE_MS / 1000} s after ${SETTLE_MS / 1000} s at rest: by then every shard has had nothing new for
${DEFAULT_TUNING.idleAfterMs / 1000} s and is read ${1000 / DEFAULT_TUNING.idlePollIntervalMs} times a second, as AWS reads one
(\`local/event-sources/README.md\`), and DynamoDB Local's JIT compiler has settled. CPU from
\`process.cpuUsage\` and \`/proc/<pid>/stat\`, in % of one core.

| process | CPU per sample (% of a core) |
|---|---|
| runtime (AppSync endpoint, stream pollers, schedules, Lambda workers) | ${cell('runtime')} |
| DynamoDB Local (JVM) | ${cell('dynamodb')} |
| cognito-local | ${cell('cognito')} |
| **total** | **${total}** |

The runtime process's resident memory at the end: ${rssMb.toFixed(0)} MB.
`;
writeFileSync(new URL('./results/idle.md', import.meta.url), report);
console.log(report);
