/**
 * What `npm run feed -- <file> --rate 200` achieves against the local runtime, run as a partner
 * runs it (its own process, the credentials and outputs files the runtime wrote): one feed, and
 * four feeds interleaved in one file. Records the tool's own summary line.
 *
 * Run: `npx node bench/feed-cli-rate.ts` — writes bench/results/feed-cli-rate.md.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDemoFeed } from '../client/demo/demo-feed.ts';
import type { FeedMessageInput } from '../client/generated/operations.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { machineTable } from './report.ts';

const RATE = 200;
const MESSAGES = 600;

const loadBefore = loadavg()[0]!;
const root = mkdtempSync(join(tmpdir(), 'bench-feed-cli-'));
const runtime = await startLocalRuntime({ stateDir: root, persistent: false, log: () => {}, functionLog: () => {} });

/** `feeds` demo feeds, their messages interleaved tick by tick, `MESSAGES` in all. */
function feedFile(name: string, feeds: number): string {
  const sources = Array.from({ length: feeds }, (_, i) => createDemoFeed(`${name}-${i}`));
  const messages: FeedMessageInput[] = sources.flatMap((f) => f.opening());
  while (messages.length < MESSAGES) for (const source of sources) messages.push(...source.tick());
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify(messages.slice(0, MESSAGES)));
  return file;
}

const run = promisify(execFile);
const rows: string[] = [];
for (const [name, feeds, extra] of [
  ['one-feed', 1, []],
  ['one-feed-batch-100', 1, ['--batch-size', '100']],
  ['four-feeds', 4, []],
  ['four-feeds-batch-100', 4, ['--batch-size', '100']],
] as const) {
  const file = feedFile(name, feeds);
  const args = [join('client', 'feed-cli.ts'), file, '--rate', String(RATE), ...extra, '--credentials', runtime.credentialsPath, '--outputs', runtime.outputsPath];
  const started = performance.now();
  const { stdout } = await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const done = stdout.split('\n').filter((l) => /^done:|^ {2}accepted|^rate:|^limited by/.test(l));
  console.log(`${name}: ${seconds.toFixed(1)} s\n${done.join('\n')}`);
  rows.push(`| ${name} (${feeds} feed${feeds > 1 ? 's' : ''}, ${MESSAGES} messages${extra.length ? `, ${extra.join(' ')}` : ''}) | ${seconds.toFixed(1)} | ${done.map((l) => l.trim().replace(/\|/g, '/')).join('<br>')} |`);
}
await runtime.stop();

const report = `# Partner feed tool rate

${machineTable('npx node bench/feed-cli-rate.ts', loadBefore)}

\`npm run feed -- <file> --rate ${RATE}\` (client/feed-cli.ts) in its own process against the local
runtime (in memory), as a partner runs it; the whole pipeline runs behind it (ingest-feed,
MarketsTable stream, price-engine, publish). The four feeds are four demo feeds of the same
event, so their messages change the same three markets: ingest-feed's optimistic writes can
then give up on a message (REJECTED, "kept changing … resend it with the same sequence").

| file | wall s (process) | what the tool printed |
|---|---|---|
${rows.join('\n')}
`;
writeFileSync(new URL('./results/feed-cli-rate.md', import.meta.url), report);
console.log(report);
