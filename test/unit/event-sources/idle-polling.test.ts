import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { streamMapping, streamRecord } from '../../support/event-source-mapping.ts';
import { openCheckpointStore } from '../../../local/event-sources/checkpoint-store.ts';
import { DEFAULT_TUNING } from '../../../local/event-sources/index.ts';
import { pollDelayMs, startShardConsumer, type Tuning } from '../../../local/event-sources/shard-consumer.ts';
import type { InvocationRecord, LambdaService } from '../../../local/lambda/types.ts';

/**
 * How often a shard is read (this test covers shard-consumer.ts alone, on fake timers, with a
 * stand-in reader that counts its reads): every pollIntervalMs while records come, AWS's
 * 4 times a second once the shard has been quiet for idleAfterMs.
 */
const TUNING: Tuning = { pollIntervalMs: 50, idleAfterMs: 1_000, idlePollIntervalMs: 250, retryBaseMs: 100, retryMaxMs: 2_000 };


function consumer() {
  const reads: number[] = [];
  const pending: StreamRecord[] = [];
  const invoked: string[] = [];
  const lambda = {
    invokeWithRecord: async (_name: string, event: { Records: { eventID: string }[] }): Promise<InvocationRecord> => {
      invoked.push(...event.Records.map((r) => r.eventID));
      return { requestId: `r${invoked.length}`, statusCode: 200, executedVersion: '$LATEST', result: { ok: true, payload: null } };
    },
  } as unknown as LambdaService;
  const mapping = streamMapping('Markets');
  const running = startShardConsumer({
    mapping,
    shardId: 'shardId-1',
    streamArn: mapping.eventSourceArn,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Markets-consumer',
    region: 'us-east-1',
    partitionKey: 'id',
    reader: {
      read: async () => {
        reads.push(Date.now());
        return { records: pending.splice(0), ended: false };
      },
    },
    filter: undefined,
    lambda,
    checkpoints: openCheckpointStore({ stateDir: '/nonexistent', mappingId: 'idle', streamArn: mapping.eventSourceArn, persistent: false, log: () => {} }),
    stateDir: '/nonexistent',
    tuning: TUNING,
    log: () => {},
  });
  /** The waits between reads at or after `from` (ms since the start). */
  const gapsFrom = (from: number) => reads.map((at, i) => (i > 0 && at - reads[0]! >= from ? at - reads[i - 1]! : undefined)).filter((gap) => gap !== undefined);
  return { reads, pending, invoked, running, gapsFrom };
}

describe('stream polling pace', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads a busy shard every pollIntervalMs, a shard quiet for idleAfterMs at AWS’s 250 ms, and speeds up again when records come', async () => {
    const c = consumer();
    await vi.advanceTimersByTimeAsync(999);
    // Quiet since the start, but not yet for idleAfterMs: every 50 ms.
    expect(c.reads).toHaveLength(20);
    expect(new Set(c.gapsFrom(0))).toEqual(new Set([50]));

    await vi.advanceTimersByTimeAsync(2_001);
    // From the read at 1,000 ms on, the shard is idle: 4 reads a second.
    expect(c.gapsFrom(1_001)).toEqual(Array(8).fill(250));

    c.pending.push(streamRecord(1, 'm1'));
    await vi.advanceTimersByTimeAsync(250);
    expect(c.invoked).toEqual(['e1']);
    const afterRecord = c.reads.length;
    await vi.advanceTimersByTimeAsync(500);
    // The read that found a record makes the shard busy again.
    expect(c.reads.length - afterRecord).toBe(10);
    expect(new Set(c.gapsFrom(3_251))).toEqual(new Set([50]));

    c.running.stop();
    await vi.advanceTimersByTimeAsync(250);
    expect(await c.running.done).toBe('stopped');
  });

  it('is the runtime’s default: 50 ms while busy, 250 ms after 10 s of nothing new', () => {
    expect(pollDelayMs(DEFAULT_TUNING, 0)).toBe(50);
    expect(pollDelayMs(DEFAULT_TUNING, 9_999)).toBe(50);
    expect(pollDelayMs(DEFAULT_TUNING, 10_000)).toBe(250);
    // A test's faster pace is never slowed below its own interval by the idle pace.
    expect(pollDelayMs({ pollIntervalMs: 500, idleAfterMs: 0, idlePollIntervalMs: 250 }, 60_000)).toBe(500);
  });
});
