import { EVENT_STATUSES, MARKET_STATUSES } from '../market/market.ts';
import { FEED_MESSAGE_TYPES, MEMBER_OF_TYPE, MEMBERS, type FeedMessageType, type ValidFeedMessage } from './messages.ts';

/**
 * Feed probabilities must sum to 1 within this tolerance: partners round each probability
 * to a few decimals, so a three-way market may sum to 0.999 or 1.002.
 */
export const PROBABILITY_SUM_TOLERANCE = 0.01;
/** GraphQL's Int is 32-bit signed. */
export const MAX_SEQUENCE = 2_147_483_647;
const MAX_ID_LENGTH = 256;
const MAX_NAME_LENGTH = 256;
/** Keeps a market item far below DynamoDB's 400 KB item limit. */
export const MAX_SELECTIONS = 100;

export interface Problem {
  field: string;
  reason: string;
}

export type Validation =
  | { ok: true; message: ValidFeedMessage }
  /** `identity` is absent when feedId or sequence itself is unusable: such a message cannot be recorded in the ledger. */
  | { ok: false; problem: Problem; identity?: { feedId: string; sequence: number } };

/** Thrown inside the checks below; carries the first problem found. */
class Invalid extends Error {
  readonly problem: Problem;
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.problem = { field, reason };
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(field, `must be an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string, maxLength = MAX_ID_LENGTH): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Invalid(field, `must be a non-empty string, got ${describe(value)}`);
  if (value.length > maxLength) throw new Invalid(field, `must be at most ${maxLength} characters, got ${value.length}`);
  return value;
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new Invalid(field, `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  return value as T;
}

function array(value: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(field, `must be a list, got ${describe(value)}`);
  if (value.length < min) throw new Invalid(field, `must have at least ${min} entr${min === 1 ? 'y' : 'ies'}, got ${value.length}`);
  if (value.length > max) throw new Invalid(field, `must have at most ${max} entries, got ${value.length}`);
  return value;
}

const AWS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/;

/** AppSync's AWSDateTime: ISO 8601 extended date and time with a required time zone. */
export function isAwsDateTime(value: unknown): value is string {
  return typeof value === 'string' && AWS_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

function dateTime(value: unknown, field: string): string {
  if (!isAwsDateTime(value)) throw new Invalid(field, `must be an AWSDateTime such as 2026-05-01T19:45:00Z, got ${describe(value)}`);
  return value;
}

function uniqueIds(ids: string[], field: (index: number) => string): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (seen.has(id)) throw new Invalid(field(index), `selection ${id} appears more than once`);
    seen.add(id);
  });
}

function checkMember(type: FeedMessageType, raw: Record<string, unknown>): void {
  const member = MEMBER_OF_TYPE[type];
  const body = raw[member];
  if (body === undefined || body === null) throw new Invalid(member, `a ${type} message must carry \`${member}\``);
  const extra = MEMBERS.find((m) => m !== member && raw[m] !== undefined && raw[m] !== null);
  if (extra) throw new Invalid(extra, `a ${type} message carries only \`${member}\`, not \`${extra}\``);
  const o = object(body, member);
  switch (type) {
    case 'EVENT':
      string(o.eventId, 'event.eventId');
      string(o.name, 'event.name', MAX_NAME_LENGTH);
      string(o.sport, 'event.sport', MAX_NAME_LENGTH);
      dateTime(o.startTime, 'event.startTime');
      oneOf(o.status, 'event.status', EVENT_STATUSES);
      return;
    case 'MARKET': {
      string(o.marketId, 'market.marketId');
      string(o.eventId, 'market.eventId');
      string(o.name, 'market.name', MAX_NAME_LENGTH);
      const selections = array(o.selections, 'market.selections', 2, MAX_SELECTIONS).map((s, i) => {
        const sel = object(s, `market.selections[${i}]`);
        string(sel.name, `market.selections[${i}].name`, MAX_NAME_LENGTH);
        return string(sel.selectionId, `market.selections[${i}].selectionId`);
      });
      uniqueIds(selections, (i) => `market.selections[${i}].selectionId`);
      return;
    }
    case 'PROBABILITIES': {
      string(o.marketId, 'probabilities.marketId');
      const entries = array(o.selections, 'probabilities.selections', 1, MAX_SELECTIONS).map((s, i) => {
        const sel = object(s, `probabilities.selections[${i}]`);
        const selectionId = string(sel.selectionId, `probabilities.selections[${i}].selectionId`);
        const p = sel.probability;
        if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || p >= 1) {
          throw new Invalid(`probabilities.selections[${i}].probability`, `must be a number strictly between 0 and 1, got ${describe(p)}`);
        }
        return { selectionId, probability: p };
      });
      uniqueIds(entries.map((e) => e.selectionId), (i) => `probabilities.selections[${i}].selectionId`);
      const sum = entries.reduce((total, e) => total + e.probability, 0);
      if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
        throw new Invalid('probabilities.selections', `probabilities must sum to 1 (within ±${PROBABILITY_SUM_TOLERANCE}), got ${Number(sum.toFixed(6))}`);
      }
      return;
    }
    case 'MARKET_STATUS':
      string(o.marketId, 'marketStatus.marketId');
      oneOf(o.status, 'marketStatus.status', MARKET_STATUSES);
      if (o.status === 'SETTLED') throw new Invalid('marketStatus.status', 'a market is SETTLED by a RESULT message that names the winners, not by MARKET_STATUS');
      return;
    case 'RESULT': {
      string(o.marketId, 'result.marketId');
      const winners = array(o.winningSelectionIds, 'result.winningSelectionIds', 1, MAX_SELECTIONS).map((id, i) => string(id, `result.winningSelectionIds[${i}]`));
      uniqueIds(winners, (i) => `result.winningSelectionIds[${i}]`);
      return;
    }
  }
}

/**
 * Checks one message as it arrives, without looking at any stored state: its identity
 * (feedId, sequence >= 1), its type, exactly the member named by the type, and that member's
 * content. Reports the first problem with the path of the offending field.
 */
export function validateFeedMessage(raw: unknown): Validation {
  let identity: { feedId: string; sequence: number } | undefined;
  try {
    const o = object(raw, 'message');
    const feedId = string(o.feedId, 'feedId', 128);
    const sequence = o.sequence;
    if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
      throw new Invalid('sequence', `must be an integer from 1 to ${MAX_SEQUENCE}, got ${describe(sequence)}`);
    }
    identity = { feedId, sequence };
    const type = oneOf(o.type, 'type', FEED_MESSAGE_TYPES);
    if (o.sentAt !== undefined && o.sentAt !== null) dateTime(o.sentAt, 'sentAt');
    checkMember(type, o);
    return { ok: true, message: o as unknown as ValidFeedMessage };
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return { ok: false, problem: error.problem, ...(identity && { identity }) };
  }
}
