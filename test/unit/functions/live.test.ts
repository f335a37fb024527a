import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { eventUpdateOf } from '../../../functions/domain/live/event-update.ts';
import { beatOffsets, HEARTBEAT_MESSAGE_MAX_BYTES, heartbeatMessages, heartbeatOf, parseSeconds } from '../../../functions/domain/live/heartbeat.ts';
import { publishEventRecords } from '../../../functions/event-publisher/handler.ts';
import { createLogger } from '../../../functions/shared/logger.ts';
import type { EventItem, PublicationItem } from '../../../schema/items.ts';

const publication = (marketId: string, version: number, status: PublicationItem['status']): PublicationItem => ({
  marketId,
  eventId: 'e1',
  version,
  previousVersion: version - 1,
  status,
  publishedAt: '2026-12-03T09:00:00.000Z',
  publishedAtMs: 0,
  delivered: true,
});

describe('heartbeat', () => {
  it('lists each open, suspended or closed market\'s last published version, sorted; settled markets are final and left out', () => {
    const beat = heartbeatOf(
      [publication('m3', 9, 'CLOSED'), publication('m1', 4, 'OPEN'), publication('m4', 2, 'SETTLED'), publication('m2', 7, 'SUSPENDED')],
      new Date('2026-12-03T09:00:03.000Z'),
      3,
    );
    expect(beat).toEqual({
      at: '2026-12-03T09:00:03.000Z',
      intervalSeconds: 3,
      markets: [
        { marketId: 'm1', eventId: 'e1', version: 4 },
        { marketId: 'm2', eventId: 'e1', version: 7 },
        { marketId: 'm3', eventId: 'e1', version: 9 },
      ],
    });
  });

  it('carries a beat of 5,000 markets (about 290 KB as one message) in messages that each stay under half of AppSync\'s 240 KB', () => {
    const markets = Array.from({ length: 5_000 }, (_, i) => publication(`market-${String(i).padStart(5, '0')}`, 1_000 + i, 'OPEN'));
    const beat = heartbeatOf(markets, new Date('2026-12-03T09:00:03.000Z'), 3);
    expect(Buffer.byteLength(JSON.stringify({ onHeartbeat: beat }))).toBeGreaterThan(240 * 1024);
    const messages = heartbeatMessages(beat);
    expect(messages.length).toBe(3);
    for (const message of messages) {
      expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(HEARTBEAT_MESSAGE_MAX_BYTES);
      expect(message).toMatchObject({ at: beat.at, intervalSeconds: 3 });
    }
    // Filled before a next one is started: only the last is short.
    expect(Buffer.byteLength(JSON.stringify(messages[0]))).toBeGreaterThan(HEARTBEAT_MESSAGE_MAX_BYTES - 100);
    expect(messages.flatMap((m) => m.markets)).toEqual(beat.markets);
  });

  it('fills each message up to the limit exactly, and a beat with no market is still one message', () => {
    const beat = heartbeatOf([publication('m1', 1, 'OPEN'), publication('m2', 2, 'OPEN'), publication('m3', 3, 'OPEN')], new Date('2026-12-03T09:00:03.000Z'), 3);
    const two = JSON.stringify({ ...beat, markets: beat.markets.slice(0, 2) }).length;
    // The limit counts a comma before every market, one byte more than two markets' JSON.
    expect(heartbeatMessages(beat, two + 1).map((m) => m.markets.length)).toEqual([2, 1]);
    expect(heartbeatMessages(beat, two).map((m) => m.markets.length)).toEqual([1, 1, 1]);
    expect(heartbeatMessages(beat)).toEqual([beat]);
    expect(heartbeatMessages({ ...beat, markets: [] })).toEqual([{ ...beat, markets: [] }]);
  });

  it('refuses a market that cannot fit in any message, naming it', () => {
    const beat = heartbeatOf([publication('m1', 1, 'OPEN'), publication('x'.repeat(200), 2, 'OPEN')], new Date('2026-12-03T09:00:03.000Z'), 3);
    expect(() => heartbeatMessages(beat, 200)).toThrow(/^heartbeat: market "x{200}" alone takes 2\d\d bytes of JSON, more than the \d+ a heartbeat message has room for$/);
  });

  it('beats at 0, 3, …, 57 s of a 60 s run, so the next run (a minute later) continues the 3 s beat', () => {
    const offsets = beatOffsets(3, 60);
    expect(offsets).toHaveLength(20);
    expect([offsets[0], offsets[1], offsets.at(-1)]).toEqual([0, 3_000, 57_000]);
    expect(60_000 - offsets.at(-1)!).toBe(3_000);
  });

  it('reads whole seconds from the environment, with a default', () => {
    expect(parseSeconds('HEARTBEAT_INTERVAL_SECONDS', undefined, 3, 60)).toBe(3);
    expect(parseSeconds('HEARTBEAT_INTERVAL_SECONDS', '5', 3, 60)).toBe(5);
    expect(() => parseSeconds('HEARTBEAT_INTERVAL_SECONDS', '0.5', 3, 60)).toThrow('heartbeat: HEARTBEAT_INTERVAL_SECONDS must be whole seconds from 1 to 60, got "0.5"');
  });
});

const event = (overrides: Partial<EventItem> = {}): EventItem => ({
  id: 'e1',
  name: 'A v B',
  sport: 'football',
  startTime: '2026-12-03T20:00:00.000Z',
  status: 'SCHEDULED',
  updatedAt: '2026-12-03T09:00:00.000Z',
  watermarks: { definition: { f: 1 } },
  ...overrides,
});

describe('event updates', () => {
  it('publishes a new event and changes a client shows; not watermark-only changes', () => {
    expect(eventUpdateOf(undefined, event(), 'fallback')).toEqual({ id: 'e1', name: 'A v B', sport: 'football', startTime: '2026-12-03T20:00:00.000Z', status: 'SCHEDULED', updatedAt: '2026-12-03T09:00:00.000Z' });
    expect(eventUpdateOf(event(), event({ status: 'LIVE' }), 'fallback')?.status).toBe('LIVE');
    expect(eventUpdateOf(event(), event({ startTime: '2026-12-03T21:00:00.000Z' }), 'fallback')).toBeDefined();
    expect(eventUpdateOf(event(), event({ watermarks: { definition: { f: 2 } }, updatedAt: 'later' }), 'fallback')).toBeUndefined();
    const { updatedAt: _u, ...withoutTime } = event();
    expect(eventUpdateOf(undefined, withoutTime, '2026-12-03T09:00:01.000Z')?.updatedAt).toBe('2026-12-03T09:00:01.000Z');
  });

  it('event-publisher publishes in stream order and, when a publish fails, reports that record and leaves the rest for the retry', async () => {
    const record = (seq: string, old: EventItem | undefined, item: EventItem) => ({
      eventName: (old ? 'MODIFY' : 'INSERT') as 'MODIFY' | 'INSERT',
      dynamodb: { SequenceNumber: seq, Keys: marshall({ id: item.id }) as never, NewImage: marshall(item) as never, ...(old && { OldImage: marshall(old) as never }) },
    });
    const records = [
      record('1', undefined, event()),
      record('2', event(), event({ watermarks: { definition: { f: 2 } } })),
      record('3', event(), event({ status: 'LIVE' })),
      record('4', event({ status: 'LIVE' }), event({ status: 'FINISHED' })),
    ];
    const published: string[] = [];
    const log = createLogger('test', () => {});
    expect(await publishEventRecords({ Records: records }, { publishEventUpdate: async (u) => void published.push(u.status) }, log)).toEqual({ batchItemFailures: [] });
    expect(published).toEqual(['SCHEDULED', 'LIVE', 'FINISHED']);

    published.length = 0;
    const failing = { publishEventUpdate: async (u: { status: string }) => (u.status === 'LIVE' ? Promise.reject(new Error('HTTP 500')) : void published.push(u.status)) };
    expect(await publishEventRecords({ Records: records }, failing, log)).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }] });
    expect(published).toEqual(['SCHEDULED']);
  });
});
