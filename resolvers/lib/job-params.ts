import { util, type Context } from '@aws-appsync/utils';
import type { JobType } from '../../schema/generated/types.ts';
import { invalidArgument } from './errors.ts';

/** Where a job's target lives: startJob checks it exists before queueing the job. */
export interface JobTarget {
  table: 'events' | 'markets';
  id: string;
}

export interface ValidatedJobParams {
  params: Record<string, unknown>;
  target: JobTarget;
}

// Java regex (util.matches): an AWSDateTime with an optional fraction and a Z or ±hh:mm offset.
const ISO_DATE_TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})';

// APPSYNC_JS documents no Array.isArray; a JSON list is the only value whose JSON starts with [.
export function isList(value: unknown): value is unknown[] {
  return value !== null && typeof value === 'object' && JSON.stringify(value).startsWith('[');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !isList(value);
}

/**
 * An AWSJSON argument. UNVERIFIED: whether AppSync hands it to APPSYNC_JS as the JSON string or
 * already parsed; both are accepted (a string is parsed; AppSync's JSON.parse gives "" for invalid JSON).
 */
export function jsonArgument(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function allowOnly(ctx: Context, type: JobType, params: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(params)) {
    if (allowed.indexOf(key) === -1) invalidArgument(ctx, `params.${key}`, `absent (${type} takes ${allowed.join(', ')})`, params[key]);
  }
}

function requiredId(ctx: Context, params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value.trim().length === 0) invalidArgument(ctx, `params.${key}`, 'a non-empty string', value ?? null);
  return value as string;
}

/** The parameters each job type takes, checked before anything is read or written. */
export function validateJobParams(ctx: Context, type: JobType, raw: unknown): ValidatedJobParams {
  const parsed = raw === null || raw === undefined ? null : jsonArgument(raw);
  if (!isRecord(parsed)) return invalidArgument(ctx, 'params', `a JSON object with the parameters of ${type}`, raw ?? null);

  if (type === 'REPRICE_EVENT') {
    allowOnly(ctx, type, parsed, ['eventId']);
    const eventId = requiredId(ctx, parsed, 'eventId');
    return { params: { eventId }, target: { table: 'events', id: eventId } };
  }

  if (type === 'SETTLE_MARKET') {
    allowOnly(ctx, type, parsed, ['marketId', 'winningSelectionIds']);
    const marketId = requiredId(ctx, parsed, 'marketId');
    const winners = parsed.winningSelectionIds;
    if (!isList(winners) || winners.length === 0) {
      return invalidArgument(ctx, 'params.winningSelectionIds', 'a non-empty list of selection ids', winners ?? null);
    }
    winners.forEach((id, i) => {
      if (typeof id !== 'string' || id.length === 0) invalidArgument(ctx, `params.winningSelectionIds[${i}]`, 'a selection id', id);
      if (winners.indexOf(id) !== i) invalidArgument(ctx, `params.winningSelectionIds[${i}]`, 'listed once', id);
    });
    return { params: { marketId, winningSelectionIds: winners }, target: { table: 'markets', id: marketId } };
  }

  allowOnly(ctx, type, parsed, ['marketId', 'since']);
  const marketId = requiredId(ctx, parsed, 'marketId');
  const since = parsed.since;
  if (since === undefined || since === null) return { params: { marketId }, target: { table: 'markets', id: marketId } };
  if (typeof since !== 'string' || !util.matches(ISO_DATE_TIME, since)) {
    invalidArgument(ctx, 'params.since', 'an ISO 8601 date-time such as 2025-01-31T18:00:00Z', since);
  }
  return { params: { marketId, since }, target: { table: 'markets', id: marketId } };
}
