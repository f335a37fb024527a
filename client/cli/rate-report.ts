import { MAX_BATCH_SIZE, type ReplaySummary } from '../feed-replay.ts';

/** Below this share of the asked rate, the tool says what held it back. */
const SHORTFALL = 0.9;

export interface RateSettings {
  asked: number;
  batchSize: number;
  concurrency: number;
}

/**
 * The rate a replay reached against the one asked for, and, when short of it, what limited it,
 * from the calls' own timings: each feed goes one call at a time (its order is its meaning), so
 * a feed cannot go faster than a full batch per answer, and calls in flight are capped.
 */
export function rateReport(summary: Pick<ReplaySummary, 'total' | 'elapsedMs' | 'messagesPerSecond' | 'feeds' | 'maxInFlight' | 'calls'>, settings: RateSettings): string[] {
  const achieved = summary.messagesPerSecond;
  const lines = [`rate: asked ${settings.asked} msg/s, achieved ${achieved.toFixed(1)} msg/s`];
  if (achieved >= settings.asked * SHORTFALL || summary.calls.length === 0) return lines;

  const ms = summary.calls.map((c) => c.ms).sort((a, b) => a - b);
  const meanMs = ms.reduce((a, b) => a + b, 0) / ms.length;
  const p90 = ms[Math.min(ms.length - 1, Math.floor(0.9 * ms.length))]!;
  const meanSize = summary.calls.reduce((a, c) => a + c.size, 0) / summary.calls.length;
  const inFlight = Math.min(summary.feeds, settings.concurrency);
  const ceiling = (inFlight * settings.batchSize * 1000) / meanMs;
  const answers = `an ingestFeed call took ${meanMs.toFixed(0)} ms on average (p90 ${p90.toFixed(0)} ms) for ${meanSize.toFixed(1)} messages`;
  const lanes = `${summary.feeds} feed(s) in the file, each sent in its own order one call at a time, at most ${settings.concurrency} calls in flight (--concurrency; ${summary.maxInFlight} reached)`;
  const nominalMs = (summary.total / settings.asked) * 1000;
  if (summary.elapsedMs - meanMs <= nominalMs * 1.1) {
    lines.push(`limited by: the file's length: ${summary.total} messages last ${(nominalMs / 1000).toFixed(2)} s at the asked rate, and the last answer came ${(meanMs / 1000).toFixed(2)} s after its call (${answers})`);
  } else if (summary.feeds <= settings.concurrency) {
    // Every feed already had its call in flight: more concurrency would change nothing.
    // The batch that would carry the asked rate if the server answered it as fast; whether it
    // does depends on how its time per call grows with the batch (bench/results/feed-cli-rate.md).
    const needed = Math.ceil((settings.asked * meanMs) / 1000 / inFlight);
    const advice = needed <= MAX_BATCH_SIZE ? `--batch-size ${needed} would carry ${settings.asked} msg/s if the server answered such calls as fast` : `no --batch-size up to ${MAX_BATCH_SIZE} carries ${settings.asked} msg/s at this answer time`;
    lines.push(`limited by: the server's answer time and the feed count: ${answers}; with ${lanes}, batches of ${settings.batchSize} carry at most ~${ceiling.toFixed(0)} msg/s. ${advice}; more feeds in the file would go side by side`);
  } else {
    lines.push(`limited by: the concurrency cap: ${answers}; with ${lanes}, batches of ${settings.batchSize} carry at most ~${ceiling.toFixed(0)} msg/s. Raise --concurrency or --batch-size`);
  }
  return lines;
}
