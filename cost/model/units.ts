/** How AWS meters: request units, message units, months. */

/** AWS prices a month as 730 hours. */
export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
export const GIB = 1024 ** 3;

/** DynamoDB write request units for one write: 1 per KB (1,024 bytes) started, twice that in a transaction. */
export function writeRequestUnits(itemBytes: number, options: { transactional?: boolean } = {}): number {
  const units = Math.max(1, Math.ceil(itemBytes / 1024));
  return options.transactional ? units * 2 : units;
}

export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

/** DynamoDB read request units for reading `bytes`: 1 per 4 KB started when strongly consistent, half eventually, twice in a transaction. */
export function readRequestUnits(bytes: number, consistency: ReadConsistency): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return units * (consistency === 'eventual' ? 0.5 : consistency === 'strong' ? 1 : 2);
}

/** Messages a payload is metered as when each message covers `unitBytes` (AppSync and IoT: 5 KB; API Gateway WebSocket: 32 KB). */
export function meteredMessages(payloadBytes: number, unitBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / unitBytes));
}

/** Lambda bills duration rounded up to the millisecond. */
export function gbSeconds(invocations: number, durationMs: number, memoryMb: number): number {
  return invocations * (Math.ceil(durationMs) / 1000) * (memoryMb / 1024);
}

/** Requests X-Ray's default sampling rule records in a second: the first each second, then 5 % (UNVERIFIED, see prices file). */
export function sampledPerSecond(ratePerSecond: number): number {
  return Math.min(ratePerSecond, 1) + 0.05 * Math.max(0, ratePerSecond - 1);
}

export function roundUsd(usd: number): number {
  return Math.round(usd * 100) / 100;
}
