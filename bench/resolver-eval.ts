/**
 * APPSYNC_JS evaluation overhead: `npx node bench/resolver-eval.ts`
 *
 * Warm, in-process runs of compiled handler code with a data-source invoker that does no I/O, so
 * the numbers are the runtime's own cost per resolver run: building ctx, instantiating the
 * module, the vm call with its time limit, JSON in and out, and the pipeline bookkeeping.
 * Scenarios:
 * - one handler call (CompiledCode.call) of a trivial handler;
 * - a trivial unit resolver (request + response);
 * - a unit resolver whose request builds a DynamoDB UpdateItem with @aws-appsync/utils/dynamodb
 *   (a condition, an increment, util.time and util.autoId);
 * - a pipeline resolver of 3 functions (8 handler calls).
 * Results go to bench/results/resolver-eval.md.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { machineTable } from './report.ts';
import { compileHandlerCode, runResolver, type DataSourceInvoker, type ResolverDefinition, type ResolverInvocation } from '../local/appsync/js/index.ts';
import { newRunRecord, withInvocation } from '../local/appsync/js/invocation-state.ts';

const WARMUP = 2_000;
const RUNS = 20_000;

const TRIVIAL = `export function request(ctx) { return { payload: ctx.args }; }
export function response(ctx) { return ctx.result; }`;

const DDB = `import { util } from '@aws-appsync/utils';
import { update, operations } from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  return update({
    key: { id: ctx.args.marketId },
    update: { margin: ctx.args.margin, version: operations.increment(1), updatedAt: util.time.nowISO8601(), requestId: util.autoId() },
    condition: { version: { eq: ctx.args.expectedVersion } },
  });
}
export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}`;

const STEP = `export function request(ctx) { ctx.stash.steps = (ctx.stash.steps ?? 0) + 1; return { payload: { prev: ctx.prev.result } }; }
export function response(ctx) { return ctx.result; }`;
const BEFORE_AFTER = `export function request(ctx) { return { start: ctx.args.marketId }; }
export function response(ctx) { return { steps: ctx.stash.steps, last: ctx.prev.result }; }`;

const noopInvoker: DataSourceInvoker = async (call) => ({ result: (call.request as { payload?: unknown } | null)?.payload ?? { id: 'm1', version: 2 } });

function invocation(resolver: ResolverDefinition): ResolverInvocation {
  return {
    resolver,
    arguments: { marketId: 'm1', margin: 0.05, expectedVersion: 1 },
    identity: { sub: 'u1', username: 'trader', groups: ['traders'] },
    source: null,
    request: { headers: { 'content-type': 'application/json', 'x-api-key': 'k' }, domainName: null },
    info: { fieldName: 'setMargin', parentTypeName: 'Mutation', variables: {}, selectionSetList: ['id', 'margin', 'version'], selectionSetGraphQL: '{ id margin version }' },
    env: {},
    authType: 'AMAZON_COGNITO_USER_POOLS',
    operation: 'mutation',
    deadline: 0,
  };
}

interface Row {
  scenario: string;
  handlers: number;
  p50: number;
  p99: number;
  opsPerSecond: number;
}

async function measure(scenario: string, handlers: number, once: () => unknown): Promise<Row> {
  for (let i = 0; i < WARMUP; i++) await once();
  const samples = new Float64Array(RUNS);
  const start = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await once();
    samples[i] = (performance.now() - t) * 1000;
  }
  const total = performance.now() - start;
  samples.sort();
  return { scenario, handlers, p50: samples[Math.floor(RUNS * 0.5)]!, p99: samples[Math.floor(RUNS * 0.99)]!, opsPerSecond: (RUNS / total) * 1000 };
}

async function main() {
  const loadStart = loadavg()[0]!;
  const trivial = compileHandlerCode(TRIVIAL, 'trivial.js');
  const ddb = compileHandlerCode(DDB, 'ddb.js');
  const step = (n: number) => ({ name: `F${n}`, dataSourceName: 'NONE', code: compileHandlerCode(STEP, `F${n}.js`), maxBatchSize: 0 });
  const pipeline: ResolverDefinition = { kind: 'PIPELINE', typeName: 'Mutation', fieldName: 'setMargin', code: compileHandlerCode(BEFORE_AFTER, 'pipeline.js'), functions: [step(1), step(2), step(3)] };
  const unit = (code: typeof trivial): ResolverDefinition => ({ kind: 'UNIT', typeName: 'Mutation', fieldName: 'setMargin', dataSourceName: 'NONE', code, maxBatchSize: 0 });

  const run = (resolver: ResolverDefinition) => async () => {
    const outcome = await runResolver({ ...invocation(resolver), deadline: Date.now() + 30_000 }, noopInvoker);
    if (outcome.error) throw new Error(`${resolver.fieldName}: ${outcome.error.message}`);
  };
  const state = { handler: 'request' as const, operation: 'mutation' as const, typeName: 'Mutation', fieldName: 'setMargin', authType: 'API_KEY' as const, ...newRunRecord() };
  const ctx = { arguments: { marketId: 'm1' }, args: { marketId: 'm1' }, stash: {} };

  const rows = [
    await measure('one handler call (CompiledCode.call, trivial handler)', 1, () => withInvocation(state, () => trivial.call('request', ctx, 30_000))),
    await measure('the same call with no deadline (reference only)', 1, () => withInvocation(state, () => trivial.call('request', ctx, Infinity))),
    await measure('unit resolver, trivial handlers', 2, run(unit(trivial))),
    await measure('unit resolver, DynamoDB helper request (update + condition + util)', 2, run(unit(ddb))),
    await measure('pipeline resolver, 3 functions', 8, run(pipeline)),
  ];

  const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const table = rows.map((r) => `| ${r.scenario} | ${r.handlers} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.p50 / r.handlers)} | ${Math.round(r.opsPerSecond).toLocaleString('en-US')} |`).join('\n');
  const report = `# APPSYNC_JS resolver evaluation benchmark

${machineTable('npx node bench/resolver-eval.ts', loadStart)}
| runs | ${WARMUP.toLocaleString('en-US')} warm-up, then ${RUNS.toLocaleString('en-US')} measured, one after another |

Warm evaluation in one process: the code is compiled once (save-time checks, vm context), and
the data-source invoker answers at once without I/O, so the numbers are the runtime's own cost:
ctx, a fresh module instance per handler call, the vm call against its deadline, JSON in and out,
the pipeline steps. Latencies are per resolver run (per handler call in the first row).

| scenario | handler calls | p50 µs | p99 µs | p50 µs per handler | runs/s |
|---|---|---|---|---|---|
${table}

A handler's deadline (AppSync's 30 s limit) is kept by a guard call at the top of every loop
and function body of the code (local/appsync/js/sandbox/module-transform.ts), not by node:vm's
\`timeout\`, which starts and stops a watchdog thread on every call (about 80 µs a call when it
was used, and sensitive to other load): compare the first two rows for what the guard costs.
The load average during the run is given above.
`;
  writeFileSync(new URL('./results/resolver-eval.md', import.meta.url), report);
  console.log(report);
}

await main();
