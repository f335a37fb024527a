// Time zones as java.time.ZoneId reads them (D-TIME: "IANA IDs or offsets"): `Z`, `UTC`,
// `GMT`, `UT`, offsets (`+8`, `+08`, `+0800`, `+08:00`, `+08:00:00`), prefixed offsets
// (`UTC+8`, `GMT+08:00`) and region IDs (`Australia/Perth`), resolved through the ICU time zone
// data that Node's Intl carries.
import { argumentError } from '../arguments.ts';
import { BoundedCache } from '../../../../support/bounded-cache.ts';

export interface Zone {
  /** The ID as given (normalised for offsets: `+08:00`, `Z`). */
  id: string;
  /** Seconds east of UTC at an instant. */
  offsetAt(epochMs: number): number;
  /** A fixed offset (no region rules). */
  fixed: boolean;
  /** The IANA name when the zone is a region. */
  region?: string;
}

const OFFSET = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;
const cache = new BoundedCache<string, Zone>(200);

export const UTC: Zone = { id: 'Z', offsetAt: () => 0, fixed: true };

export function resolveZone(member: string, id: unknown): Zone {
  if (typeof id !== 'string') throw argumentError(member, `the time zone must be a string such as "UTC", "+08:00" or "Australia/Perth", not ${id === null ? 'null' : typeof id}`);
  return cache.getOrCreate(id, () => parseZone(member, id));
}

function parseZone(member: string, id: string): Zone {
  if (id === 'Z') return UTC;
  const offset = parseOffsetId(id);
  if (offset !== undefined) return fixedZone(offset);
  const prefixed = /^(UTC|GMT|UT)([+-].*)?$/.exec(id);
  if (prefixed) {
    if (!prefixed[2]) return { id, offsetAt: () => 0, fixed: true, region: 'UTC' };
    const seconds = parseOffsetId(prefixed[2]);
    if (seconds === undefined) throw unknownZone(member, id);
    return { ...fixedZone(seconds), id: `${prefixed[1]}${formatOffset(seconds, true)}` };
  }
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id)) throw unknownZone(member, id);
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    throw unknownZone(member, id);
  }
  return {
    id,
    fixed: false,
    region: id,
    offsetAt(epochMs: number): number {
      const parts: Record<string, string> = {};
      for (const part of format.formatToParts(new Date(Math.floor(epochMs / 1000) * 1000))) parts[part.type] = part.value;
      const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
      const local = utcMillis(year, Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
      return Math.round((local - Math.floor(epochMs / 1000) * 1000) / 1000);
    },
  };
}

/** Epoch ms of a proleptic-Gregorian UTC date-time; unlike Date.UTC, years 0–99 are not 19xx. */
export function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function parseOffsetId(text: string): number | undefined {
  const m = OFFSET.exec(text);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  const seconds = Number(m[4] ?? 0);
  if (hours > 18 || minutes > 59 || seconds > 59) return undefined;
  const total = hours * 3600 + minutes * 60 + seconds;
  if (total > 18 * 3600) return undefined;
  return m[1] === '-' ? -total : total;
}

function fixedZone(seconds: number): Zone {
  return { id: seconds === 0 ? 'Z' : formatOffset(seconds, true), offsetAt: () => seconds, fixed: true };
}

/** `+08:00` (colon) or `+0800`; seconds only when non-zero. */
export function formatOffset(seconds: number, colon: boolean): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  const ss = abs % 60;
  const sep = colon ? ':' : '';
  return `${sign}${hh}${sep}${mm}${ss ? `${sep}${String(ss).padStart(2, '0')}` : ''}`;
}

function unknownZone(member: string, id: string): Error {
  return argumentError(member, `unknown time zone ${JSON.stringify(id)}: use an IANA region ID such as "Australia/Perth", "UTC", or an offset such as "+08:00"`);
}

/**
 * The instant of a local date-time in a zone. In a gap (spring forward) the later offset is
 * used, in an overlap the earlier one — java.time's ZonedDateTime.ofLocal rules.
 */
export function localToEpoch(localMs: number, zone: Zone): number {
  if (zone.fixed) return localMs - zone.offsetAt(0) * 1000;
  const before = zone.offsetAt(localMs - 86_400_000);
  const after = zone.offsetAt(localMs + 86_400_000);
  const candidates = [localMs - before * 1000, localMs - after * 1000].filter((t) => t + zone.offsetAt(t) * 1000 === localMs);
  if (candidates.length > 0) return Math.min(...candidates);
  // A gap: shift forward by its length, keeping the earlier offset.
  return localMs - before * 1000;
}
