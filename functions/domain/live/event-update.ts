import type { EventUpdate } from '../../../schema/generated/types.ts';
import type { EventItem } from '../../../schema/items.ts';

/**
 * The EventUpdate that a change of an event item (old image → new image) publishes: a new event,
 * or a change of what a client shows (name, sport, start time, status). Watermark-only changes
 * publish nothing. An item without `updatedAt` uses `fallbackTime` (the stream record's time).
 */
export function eventUpdateOf(old: EventItem | undefined, event: EventItem, fallbackTime: string): EventUpdate | undefined {
  if (old && old.name === event.name && old.sport === event.sport && old.startTime === event.startTime && old.status === event.status) return undefined;
  return { id: event.id, name: event.name, sport: event.sport, startTime: event.startTime, status: event.status, updatedAt: event.updatedAt ?? fallbackTime };
}
