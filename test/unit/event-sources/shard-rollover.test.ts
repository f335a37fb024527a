import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { streamMapping, streamRecord } from '../../support/event-source-mapping.ts';
import type { EventSourceMappingModel } from '../../../local/assembly/model.ts';
import { DEFAULT_TUNING } from '../../../local/event-sources/index.ts';
import { startMapping } from '../../../local/event-sources/mapping.ts';
import type { InvocationRecord, LambdaService } from '../../../local/lambda/types.ts';

/**
 * DynamoDB Local does not roll shards over on demand, so the rollover is played by a stand-in
 * for the two SDK clients (this test covers mapping.ts alone): a closed parent shard and its
 * child, listed child first, as DescribeStream may list them.
 */
const STREAM = 'arn:aws:dynamodb:ddblocal:000000000000:table/Markets/stream/2026-01-01T00:00:00.000';


function fakeStream(shards: { id: string; parent?: string; closed: boolean; records: StreamRecord[] }[]) {
  const dynamodb = {
    send: async (command: unknown) => {
      if (!(command instanceof DescribeTableCommand)) throw new Error('unexpected DynamoDB call');
      return { Table: { LatestStreamArn: STREAM, StreamSpecification: { StreamEnabled: true }, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } };
    },
  } as unknown as DynamoDBClient;
  const streams = {
    send: async (command: unknown) => {
      if (command instanceof DescribeStreamCommand) {
        return {
          StreamDescription: {
            Shards: shards.map((s) => ({
              ShardId: s.id,
              ...(s.parent && { ParentShardId: s.parent }),
              SequenceNumberRange: { StartingSequenceNumber: s.records[0]?.dynamodb?.SequenceNumber, ...(s.closed && { EndingSequenceNumber: s.records.at(-1)?.dynamodb?.SequenceNumber }) },
            })),
          },
        };
      }
      if (command instanceof GetShardIteratorCommand) {
        const { ShardId, ShardIteratorType, SequenceNumber } = command.input;
        const shard = shards.find((s) => s.id === ShardId)!;
        const from = ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? shard.records.findIndex((r) => r.dynamodb!.SequenceNumber === SequenceNumber) + 1 : 0;
        return { ShardIterator: `${ShardId}|${from}` };
      }
      if (command instanceof GetRecordsCommand) {
        const [id, from] = command.input.ShardIterator!.split('|') as [string, string];
        const shard = shards.find((s) => s.id === id)!;
        const records = shard.records.slice(Number(from));
        const next = Number(from) + records.length;
        return { Records: records, ...((!shard.closed || records.length > 0) && { NextShardIterator: `${id}|${next}` }) };
      }
      throw new Error('unexpected DynamoDB Streams call');
    },
  } as unknown as DynamoDBStreamsClient;
  return { dynamodb, streams };
}

const mapping: EventSourceMappingModel = streamMapping('Markets', { logicalId: 'PriceEngineMapping', uuid: 'rollover', functionName: 'price-engine', batchSize: 10 });

describe('shard rollover', () => {
  it('reads a child shard only after its parent is read to its end, so an item’s changes stay in order', async () => {
    const { dynamodb, streams } = fakeStream([
      { id: 'shardId-child', parent: 'shardId-parent', closed: false, records: [streamRecord(4, 'm1'), streamRecord(5, 'm2')] },
      { id: 'shardId-parent', closed: true, records: [streamRecord(1, 'm1'), streamRecord(2, 'm2'), streamRecord(3, 'm1')] },
    ]);
    const invoked: string[][] = [];
    const lambda = {
      invokeWithRecord: async (_name: string, event: { Records: { dynamodb: { SequenceNumber: string } }[] }): Promise<InvocationRecord> => {
        invoked.push(event.Records.map((r) => String(Number(r.dynamodb.SequenceNumber))));
        // The parent's batch takes a while: the child must not overtake it.
        if (invoked.length === 1) await new Promise((resume) => setTimeout(resume, 200));
        return { requestId: `r${invoked.length}`, statusCode: 200, executedVersion: '$LATEST', result: { ok: true, payload: null } };
      },
    } as unknown as LambdaService;
    const lines: string[] = [];
    const running = await startMapping({
      mapping,
      filter: undefined,
      dynamodb,
      streams,
      region: 'us-east-1',
      lambda,
      stateDir: mkdtempSync(join(tmpdir(), 'rollover-')),
      persistent: false,
      tuning: { ...DEFAULT_TUNING, pollIntervalMs: 10, retryBaseMs: 10, retryMaxMs: 50 },
      stopGraceMs: 1000,
      log: (line) => lines.push(line),
    });
    const deadline = Date.now() + 10_000;
    while (invoked.flat().length < 5 && Date.now() < deadline) await new Promise((resume) => setTimeout(resume, 10));
    await running.stop();
    expect(invoked).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
    expect(lines.some((line) => line.includes('shard shardId-parent read to its end'))).toBe(true);
  });
});
