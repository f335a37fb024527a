// util.time (D-TIME, NPM-U time-utils.d.ts).
import { argumentError, requireNumber, requireString } from '../arguments.ts';
import { formatEpoch, parseToEpoch } from './java-date-format.ts';
import { resolveZone, UTC, type Zone } from './zones.ts';

const ISO = /^([+-]?\d{4,9})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function zoneArgument(member: string, timezone: unknown): Zone {
  return timezone === undefined ? UTC : resolveZone(member, timezone);
}

function epochArgument(member: string, value: unknown): number {
  const n = requireNumber(member, value, 'the epoch milliseconds');
  return Math.trunc(n);
}

/**
 * ISO 8601 as AppSync writes it: UTC, always with milliseconds (`2018-02-06T19:01:35.758Z`,
 * D-TIME). UNVERIFIED whether a whole second is written with `.000`.
 */
function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function parseIso8601(member: string, value: unknown): number {
  const text = requireString(member, value, 'the timestamp');
  const m = ISO.exec(text);
  if (!m) throw argumentError(member, `${JSON.stringify(text)} is not an ISO 8601 timestamp such as "2018-02-01T17:21:05.180+08:00"`);
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset] = m;
  const pattern = `${'u'.repeat(Math.max(4, year!.replace(/^[+-]/, '').length))}-MM-dd'T'HH:mm:ss${fraction ? `.${'S'.repeat(fraction.length)}` : ''}${offset ? 'XXX' : ''}`;
  const normalised = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction ? `.${fraction}` : ''}${offset ?? ''}`;
  // UNVERIFIED: a timestamp without an offset is read as UTC.
  return parseToEpoch(member, normalised, pattern, UTC);
}

export function createTimeUtils(now: () => number = Date.now) {
  return {
    nowISO8601: (): string => toIso(now()),
    nowEpochSeconds: (): number => Math.floor(now() / 1000),
    nowEpochMilliSeconds: (): number => now(),
    nowFormatted: (format: unknown, timezone?: unknown): string =>
      formatEpoch('util.time.nowFormatted', now(), format, zoneArgument('util.time.nowFormatted', timezone)),
    parseFormattedToEpochMilliSeconds: (timestamp: unknown, format: unknown, timezone?: unknown): number =>
      parseToEpoch('util.time.parseFormattedToEpochMilliSeconds', timestamp, format, zoneArgument('util.time.parseFormattedToEpochMilliSeconds', timezone)),
    parseISO8601ToEpochMilliSeconds: (timestamp: unknown): number => parseIso8601('util.time.parseISO8601ToEpochMilliSeconds', timestamp),
    epochMilliSecondsToSeconds: (milliseconds: unknown): number => Math.floor(epochArgument('util.time.epochMilliSecondsToSeconds', milliseconds) / 1000),
    epochMilliSecondsToISO8601: (milliseconds: unknown): string => toIso(epochArgument('util.time.epochMilliSecondsToISO8601', milliseconds)),
    epochMilliSecondsToFormatted: (milliseconds: unknown, format: unknown, timezone?: unknown): string =>
      formatEpoch(
        'util.time.epochMilliSecondsToFormatted',
        epochArgument('util.time.epochMilliSecondsToFormatted', milliseconds),
        format,
        zoneArgument('util.time.epochMilliSecondsToFormatted', timezone),
      ),
  };
}
