import type { EventView } from './market-book.ts';

/** Events a trader acts on first: in play, then upcoming, then the rest; by start time within each. */
const EVENT_ORDER: Record<string, number> = { LIVE: 0, SCHEDULED: 1, FINISHED: 2, CANCELLED: 3 };

export function orderEvents<T extends Pick<EventView, 'status' | 'startTime'>>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => (EVENT_ORDER[a.status] ?? 9) - (EVENT_ORDER[b.status] ?? 9) || Date.parse(a.startTime) - Date.parse(b.startTime));
}
