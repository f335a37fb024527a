import { GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { createShardReader } from '../../../local/event-sources/shard-reader.ts';

/** A stand-in for the Streams client (this test covers shard-reader.ts alone). */
function fakeClient(script: { failWith?: string }[]) {
  const records = [1, 2, 3, 4].map((n) => ({ eventID: `e${n}`, dynamodb: { SequenceNumber: String(n).padStart(21, '0') } }));
  const iterators: string[] = [];
  let call = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof GetShardIteratorCommand) {
        const { ShardIteratorType, SequenceNumber } = command.input;
        iterators.push(ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? `after ${Number(SequenceNumber)}` : ShardIteratorType!);
        return { ShardIterator: ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? String(Number(SequenceNumber)) : '0' };
      }
      if (command instanceof GetRecordsCommand) {
        const step = script[call++] ?? {};
        if (step.failWith) throw Object.assign(new Error(step.failWith), { name: step.failWith });
        const from = Number(command.input.ShardIterator);
        return { Records: records.slice(from, from + 2), NextShardIterator: String(Math.min(from + 2, records.length)) };
      }
      throw new Error('unexpected call');
    },
  } as unknown as DynamoDBStreamsClient;
  return { client, iterators };
}

const sequences = (page: { records: { dynamodb?: { SequenceNumber?: string } }[] }) => page.records.map((r) => Number(r.dynamodb!.SequenceNumber));

describe('reading a shard', () => {
  it('replaces an expired iterator with one after the last record read', async () => {
    const { client, iterators } = fakeClient([{}, { failWith: 'ExpiredIteratorException' }, {}]);
    const reader = createShardReader({ client, streamArn: 's', shardId: 'sh', start: { type: 'TRIM_HORIZON' }, log: () => {} });
    expect(sequences(await reader.read())).toEqual([1, 2]);
    expect(sequences(await reader.read())).toEqual([]);
    expect(sequences(await reader.read())).toEqual([3, 4]);
    expect(iterators).toEqual(['TRIM_HORIZON', 'after 2']);
  });

  it('retries a trimmed answer at the same position once, then falls back to the oldest record without handing out a record twice', async () => {
    const lines: string[] = [];
    const { client, iterators } = fakeClient([{}, { failWith: 'TrimmedDataAccessException' }, { failWith: 'TrimmedDataAccessException' }, {}, {}]);
    const reader = createShardReader({ client, streamArn: 's', shardId: 'sh', start: { type: 'TRIM_HORIZON' }, log: (line) => lines.push(line) });
    expect(sequences(await reader.read())).toEqual([1, 2]);
    await reader.read();
    expect(lines).toEqual([]);
    await reader.read();
    expect(lines).toHaveLength(1);
    // From the oldest record again: 1 and 2 were handed out already.
    expect(sequences(await reader.read())).toEqual([]);
    expect(sequences(await reader.read())).toEqual([3, 4]);
    expect(iterators).toEqual(['TRIM_HORIZON', 'after 2', 'TRIM_HORIZON']);
  });
});
