import { util } from '@aws-appsync/utils';

const ISO_MILLIS_UTC = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

/**
 * An instant in the exact form of `Date.toISOString()` (always three fraction digits, UTC), which
 * is how `publishedAt` starts the PricesTable sort key. Sort keys compare as strings, so a bound
 * must have that form. UNVERIFIED: whether `util.time.epochMilliSecondsToISO8601` keeps `.000`
 * (Java's Instant.toString drops it); an explicit pattern does not depend on it.
 */
export function isoMillisUtc(epochMilliSeconds: number): string {
  return util.time.epochMilliSecondsToFormatted(epochMilliSeconds, ISO_MILLIS_UTC, 'UTC');
}

/** Epoch seconds `days` from now: a TTL attribute. */
export function epochSecondsInDays(days: number): number {
  return util.time.nowEpochSeconds() + days * 24 * 3600;
}
