import { parseArgs } from 'node:util';
import type { FeedMessageResult } from '../../functions/domain/feed/messages.ts';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, replayFeed, ReplayError, type ReplayProgress } from '../feed-replay.ts';
import { readFeedFile } from './feed-file.ts';
import { connectFromArgs, CONNECTION_ARGS, CONNECTION_USAGE } from './local-connection.ts';
import { rateReport } from './rate-report.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether `out` is a terminal: a progress line that rewrites itself; else one line per second. */
  isTty: boolean;
  signal?: AbortSignal;
}

export const FEED_USAGE = `Replays a feed file into ingestFeed at a steady rate, as a partner would.

Usage: npm run feed -- <file> [--rate <msg/s>] [--batch-size <n>] [--concurrency <n>] [--feed-id <id>] [options]

  <file>                a JSON array of FeedMessageInput (or { "messages": [...] }),
                        e.g. client/feeds/sample-feed.json
  --rate <msg/s>        messages per second (default 20)
  --batch-size <n>      messages per ingestFeed call, most (default ${DEFAULT_BATCH_SIZE})
  --concurrency <n>     ingestFeed calls in flight, most (default ${DEFAULT_CONCURRENCY}); a feed's
                        own messages always go one call at a time, in file order, so
                        only a file with several feeds uses more than one
  --feed-id <id>        send every message under this feedId: a replay that is not
                        a duplicate of an earlier one
${CONNECTION_USAGE}`;

function positiveNumber(value: string | undefined, name: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a positive ${integer ? 'whole ' : ''}number, got "${value}"`);
  return n;
}

export function progressLine(p: ReplayProgress): string {
  return `sent ${p.sent}/${p.total}  accepted ${p.accepted}  duplicate ${p.duplicate}  stale ${p.stale}  rejected ${p.rejected}  ${p.messagesPerSecond.toFixed(1)} msg/s`;
}

function describeResult(r: FeedMessageResult): string {
  return `  ${r.feedId}#${r.sequence} ${r.outcome}${r.field ? ` [${r.field}]` : ''}${r.reason ? `: ${r.reason}` : ''}`;
}

/** `npm run feed`: returns the exit code (0 done, 1 failed, 2 bad usage). */
export async function runFeedCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...CONNECTION_ARGS, rate: { type: 'string' }, 'batch-size': { type: 'string' }, concurrency: { type: 'string' }, 'feed-id': { type: 'string' } } });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${FEED_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${FEED_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`expected one feed file, got ${positionals.length ? positionals.join(' ') : 'none'}\n\n${FEED_USAGE}\n`);
    return 2;
  }
  let rate: number;
  let batchSize: number;
  let concurrency: number;
  let messages: unknown[];
  try {
    rate = positiveNumber(values.rate, 'rate', 20);
    batchSize = positiveNumber(values['batch-size'], 'batch-size', DEFAULT_BATCH_SIZE, true);
    concurrency = positiveNumber(values.concurrency, 'concurrency', DEFAULT_CONCURRENCY, true);
    messages = readFeedFile(positionals[0]!);
    if (values['feed-id']) messages = messages.map((m) => ({ ...(m as object), feedId: values['feed-id'] }));
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }

  let connection;
  try {
    connection = connectFromArgs(values);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 1;
  }
  io.out(`replaying ${messages.length} message(s) from ${positionals[0]} to ${connection.endpoint} as ${connection.roleName}, ${rate} msg/s in batches of ${batchSize}\n`);
  let lastLine = 0;
  const onProgress = (p: ReplayProgress) => {
    if (io.isTty) io.out(`\r${progressLine(p)}\u001b[K`);
    else if (performance.now() - lastLine >= 1000 || p.sent === p.total) {
      lastLine = performance.now();
      io.out(`${progressLine(p)}\n`);
    }
  };
  try {
    const summary = await replayFeed({ client: connection.client, messages, ratePerSecond: rate, batchSize, concurrency, onProgress, signal: io.signal });
    if (io.isTty) io.out('\n');
    io.out(`done: ${summary.total} message(s) in ${summary.batches} batch(es), ${(summary.elapsedMs / 1000).toFixed(1)} s, ${summary.messagesPerSecond.toFixed(1)} msg/s\n`);
    io.out(`  accepted ${summary.accepted}, duplicate ${summary.duplicate}, stale ${summary.stale}, rejected ${summary.rejected}\n`);
    for (const line of rateReport(summary, { asked: rate, batchSize, concurrency })) io.out(`${line}\n`);
    const notAccepted = summary.results.filter((r) => r.outcome !== 'ACCEPTED');
    if (notAccepted.length) io.out(`not applied:\n${notAccepted.map(describeResult).join('\n')}\n`);
    return 0;
  } catch (error) {
    if (io.isTty) io.out('\n');
    if (error instanceof ReplayError) io.err(`${error.message}\n  before it failed: ${progressLine(error.progress)}\n`);
    else io.err(`replay stopped: ${(error as Error).message}\n`);
    return 1;
  } finally {
    connection.client.close();
  }
}
