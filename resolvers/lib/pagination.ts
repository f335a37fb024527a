import type { Context } from '@aws-appsync/utils';
import { invalidArgument } from './errors.ts';

export interface PageArgs {
  limit?: number | null;
  nextToken?: string | null;
}

/** The page size asked for, within 1..max; the default when none was given. */
export function pageLimit(ctx: Context<PageArgs>, defaultLimit: number, maxLimit: number): number {
  const limit = ctx.args.limit;
  if (limit === undefined || limit === null) return defaultLimit;
  if (limit < 1 || limit > maxLimit) invalidArgument(ctx, 'limit', `between 1 and ${maxLimit}`, limit);
  return limit;
}

/** Spread into a query/scan request: the token only when the client sent one. */
export function nextTokenOf(ctx: Context<PageArgs>): { nextToken?: string } {
  return ctx.args.nextToken ? { nextToken: ctx.args.nextToken } : {};
}

/** A connection `{ items, nextToken }` from a Query/Scan result. */
export function connectionOf<T>(result: { items?: T[]; nextToken?: string | null } | null): { items: T[]; nextToken: string | null } {
  return { items: (result && result.items) || [], nextToken: (result && result.nextToken) || null };
}
