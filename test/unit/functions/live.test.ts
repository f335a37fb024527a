import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { eventUpdateOf } from '../../../functions/domain/live/event-update.ts';
import { beatOffsets, heartbeatOf, parseSeconds } from '../../../functions/domain/live/heartbeat.ts';
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
