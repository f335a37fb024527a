import {
  DEFAULT_MARGIN,
  settlementProblem,
  statusTransitionProblem,
  type Aspect,
  type EventItem,
  type LastChange,
  type MarketItem,
  type MarketSelection,
  type Watermarks,
} from '../market/market.ts';
import type { ValidFeedMessage } from './messages.ts';

/** What a message changes and which stored items decide whether it may. */
export interface FeedTarget {
  table: 'events' | 'markets';
  id: string;
  aspect: Aspect;
  /** MARKET messages also read their event (it must exist; the market copies its sport). */
  eventId?: string;
}

export function targetOf(message: ValidFeedMessage): FeedTarget {
  switch (message.type) {
    case 'EVENT':
      return { table: 'events', id: message.event.eventId, aspect: 'definition' };
    case 'MARKET':
      return { table: 'markets', id: message.market.marketId, aspect: 'definition', eventId: message.market.eventId };
    case 'PROBABILITIES':
      return { table: 'markets', id: message.probabilities.marketId, aspect: 'probabilities' };
    case 'MARKET_STATUS':
      return { table: 'markets', id: message.marketStatus.marketId, aspect: 'status' };
    case 'RESULT':
      return { table: 'markets', id: message.result.marketId, aspect: 'result' };
  }
}

/** The stored items a decision reads (absent when there is no such item). */
export interface FeedState {
  event?: EventItem;
  market?: MarketItem;
}

/**
 * How the message's watermark is written, chosen from the item as read so that the update
 * path exists (DynamoDB cannot SET a path under a missing map). Each form carries its own
 * condition: the watermark only ever rises.
 */
export type WatermarkWrite =
  | { mode: 'item'; value: Watermarks }
  | { mode: 'aspect'; aspect: Aspect; value: Record<string, number> }
  | { mode: 'feed'; aspect: Aspect; feedId: string; sequence: number };

export interface FeedChange {
  table: 'events' | 'markets';
  id: string;
  /** A new item, written only if no item with this id exists. */
  create?: Record<string, unknown>;
  /** Top-level attributes to SET on the existing item. */
  set?: Record<string, unknown>;
  /** Markets: the version as read; the write is conditional on it (trader and job writes raise it). */
  expectedVersion?: number;
  watermark?: WatermarkWrite;
}

export type FeedDecision =
  | { outcome: 'STALE'; reason: string }
  | { outcome: 'REJECTED'; field: string; reason: string }
  | { outcome: 'ACCEPTED'; change: FeedChange };

export interface FeedContext {
  /** Who sent the batch (the partner's IAM ARN), recorded in `lastChange.by`. */
  caller: string;
  /** ISO time of this application. */
  now: string;
}

function watermarkWrite(item: { watermarks?: Watermarks } | undefined, aspect: Aspect, feedId: string, sequence: number): WatermarkWrite {
  if (!item?.watermarks) return { mode: 'item', value: { [aspect]: { [feedId]: sequence } } };
  if (!item.watermarks[aspect]) return { mode: 'aspect', aspect, value: { [feedId]: sequence } };
  return { mode: 'feed', aspect, feedId, sequence };
}

function staleness(item: { watermarks?: Watermarks } | undefined, target: FeedTarget, message: ValidFeedMessage): string | undefined {
  const applied = item?.watermarks?.[target.aspect]?.[message.feedId];
  if (applied === undefined || message.sequence > applied) return undefined;
  const what = target.table === 'events' ? `event ${target.id}` : `the ${target.aspect} of market ${target.id}`;
  return `feed ${message.feedId} already applied sequence ${applied} to ${what}; sequence ${message.sequence} is not newer`;
}

const rejected = (field: string, reason: string): FeedDecision => ({ outcome: 'REJECTED', field, reason });

/**
 * Decides what one valid message does to the stored state: STALE when its feed has already
 * applied a newer (or the same) sequence to the same aspect of the same item, REJECTED when
 * the state does not allow it (unknown market or selection, a forbidden status change, ...),
 * else ACCEPTED with the change to write. Pure: the handler reads and writes.
 */
export function planFeedMessage(message: ValidFeedMessage, state: FeedState, context: FeedContext): FeedDecision {
  const target = targetOf(message);
  const item = target.table === 'events' ? state.event : state.market;
  const stale = staleness(item, target, message);
  if (stale) return { outcome: 'STALE', reason: stale };
  const lastChange: LastChange = { source: 'FEED', by: context.caller, at: context.now };

  switch (message.type) {
    case 'EVENT': {
      const { eventId, name, sport, startTime, status } = message.event;
      const fields = { name, sport, startTime, status, updatedAt: context.now };
      if (!state.event) {
        return { outcome: 'ACCEPTED', change: { table: 'events', id: eventId, create: { id: eventId, ...fields, watermarks: { definition: { [message.feedId]: message.sequence } } } } };
      }
      return { outcome: 'ACCEPTED', change: { table: 'events', id: eventId, set: fields, watermark: watermarkWrite(state.event, 'definition', message.feedId, message.sequence) } };
    }

    case 'MARKET': {
      const { marketId, eventId, name } = message.market;
      if (!state.event) return rejected('market.eventId', `event ${eventId} does not exist; send its EVENT message first`);
      const market = state.market;
      const incoming = message.market.selections.map((s) => ({ id: s.selectionId, name: s.name }));
      if (!market) {
        const create: MarketItem = {
          id: marketId,
          eventId,
          sport: state.event.sport,
          name,
          status: 'OPEN',
          margin: DEFAULT_MARGIN,
          version: 1,
          feedSequence: message.sequence,
          selections: incoming,
          lastChange,
          // Only the aspect this message sets: an empty map would reach stream consumers as `{}` from
          // DynamoDB Local (see functions/shared/stream-image.ts); later aspects add their own map.
          watermarks: { definition: { [message.feedId]: message.sequence } },
          updatedAt: context.now,
        };
        return { outcome: 'ACCEPTED', change: { table: 'markets', id: marketId, create: { ...create } } };
      }
      if (market.eventId !== eventId) return rejected('market.eventId', `market ${marketId} belongs to event ${market.eventId}; a market cannot move to event ${eventId}`);
      if (market.status === 'SETTLED') return rejected('market.marketId', `market ${marketId} is SETTLED; its definition is final`);
      return accepted(market, message, lastChange, context, { name, sport: state.event.sport, selections: redefineSelections(market.selections, incoming) }, 'definition');
    }

    case 'PROBABILITIES': {
      const market = state.market;
      const { marketId, selections } = message.probabilities;
      if (!market) return rejected('probabilities.marketId', `market ${marketId} does not exist; send its MARKET message first`);
      if (market.status === 'CLOSED' || market.status === 'SETTLED') {
        return rejected('probabilities.marketId', `market ${marketId} is ${market.status}; it takes no more probabilities`);
      }
      const known = new Set(market.selections.map((s) => s.id));
      const unknown = selections.findIndex((s) => !known.has(s.selectionId));
      if (unknown >= 0) {
        return rejected(`probabilities.selections[${unknown}].selectionId`, `selection ${selections[unknown]!.selectionId} is not a selection of market ${marketId} (${[...known].join(', ')})`);
      }
      const given = new Map(selections.map((s) => [s.selectionId, s.probability]));
      const missing = market.selections.filter((s) => !given.has(s.id)).map((s) => s.id);
      if (missing.length) return rejected('probabilities.selections', `every selection of market ${marketId} needs a probability; missing ${missing.join(', ')}`);
      return accepted(market, message, lastChange, context, { selections: market.selections.map((s) => ({ ...s, probability: given.get(s.id)! })) }, 'probabilities');
    }

    case 'MARKET_STATUS': {
      const market = state.market;
      const { marketId, status } = message.marketStatus;
      if (!market) return rejected('marketStatus.marketId', `market ${marketId} does not exist; send its MARKET message first`);
      const problem = statusTransitionProblem(market.status, status);
      if (problem) return rejected('marketStatus.status', problem);
      return accepted(market, message, lastChange, context, { status }, 'status');
    }

    case 'RESULT': {
      const market = state.market;
      const { marketId, winningSelectionIds } = message.result;
      if (!market) return rejected('result.marketId', `market ${marketId} does not exist; send its MARKET message first`);
      const problem = settlementProblem(market, winningSelectionIds);
      if (problem) return rejected(problem.winnerIndex === undefined ? 'result.marketId' : `result.winningSelectionIds[${problem.winnerIndex}]`, problem.reason);
      return accepted(market, message, lastChange, context, { status: 'SETTLED', winningSelectionIds }, 'result');
    }
  }
}

function accepted(
  market: MarketItem,
  message: ValidFeedMessage,
  lastChange: LastChange,
  context: FeedContext,
  fields: Partial<MarketItem>,
  aspect: Aspect,
): FeedDecision {
  return {
    outcome: 'ACCEPTED',
    change: {
      table: 'markets',
      id: market.id,
      set: {
        ...fields,
        version: market.version + 1,
        feedSequence: Math.max(market.feedSequence ?? 0, message.sequence),
        lastChange,
        updatedAt: context.now,
      },
      expectedVersion: market.version,
      watermark: watermarkWrite(market, aspect, message.feedId, message.sequence),
    },
  };
}

/**
 * A redefinition keeps each selection's probability when the set of selections is
 * unchanged (names may change); a different set clears them all, since the old
 * probabilities no longer sum to 1 over the new set. The market is unpriceable until the
 * next PROBABILITIES message.
 */
function redefineSelections(current: MarketSelection[], incoming: { id: string; name: string }[]): MarketSelection[] {
  const sameSet = current.length === incoming.length && incoming.every((s) => current.some((c) => c.id === s.id));
  if (!sameSet) return incoming;
  const probabilities = new Map(current.map((s) => [s.id, s.probability]));
  return incoming.map((s) => {
    const p = probabilities.get(s.id);
    return p === undefined ? s : { ...s, probability: p };
  });
}
