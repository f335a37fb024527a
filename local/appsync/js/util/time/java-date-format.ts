// java.time.format.DateTimeFormatter.ofPattern (D-TIME), formatting and parsing, in the
// default (English) locale: pattern letters G u y Y D M L d Q q w W E e c a h K k H m s S A n
// N V z O X x Z, quoted literals and optional sections `[…]`.
//
// Parsing follows DateTimeFormatter where it is strict about the text (widths, adjacent value
// parsing, unparsed trailing text) but is lenient in two ways AppSync's own examples need:
// an offset letter accepts every offset form (`+0800` and `+08:00` alike — D-TIME parses
// "2018-02-01 17:21:05.180+08:00" with "yyyy-MM-dd HH:mm:ss.SSSZ"), and missing fields
// default (date to 1970-01-01, time to midnight) instead of failing. UNVERIFIED beyond the
// documented examples. Zone names (`z`) come from ICU, which may differ from Java's own names.
import { argumentError } from '../arguments.ts';
import { formatOffset, localToEpoch, resolveZone, utcMillis, type Zone } from './zones.ts';
import { BoundedCache } from '../../../../support/bounded-cache.ts';

type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number } | { kind: 'optional'; tokens: Token[] };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const QUARTERS = ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'];
const MAX_COUNT: Record<string, number> = {
  G: 5, u: 19, y: 19, Y: 19, D: 3, M: 5, L: 5, d: 2, Q: 5, q: 5, w: 2, W: 1, E: 5, e: 5, c: 5, a: 1,
  h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9, A: 19, n: 19, N: 19, V: 2, z: 4, O: 4, X: 5, x: 5, Z: 5,
};

const compiled = new BoundedCache<string, Token[]>(200);

export function compilePattern(member: string, pattern: unknown): Token[] {
  if (typeof pattern !== 'string') throw argumentError(member, `the format must be a string such as "yyyy-MM-dd HH:mm:ssZ", not ${pattern === null ? 'null' : typeof pattern}`);
  return compiled.getOrCreate(pattern, () => parsePattern(member, pattern));
}

function parsePattern(member: string, pattern: string): Token[] {
  const fail = (problem: string) => argumentError(member, `invalid DateTimeFormatter pattern ${JSON.stringify(pattern)}: ${problem}`);
  const stack: Token[][] = [[]];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const current = stack[stack.length - 1]!;
    if (/[A-Za-z]/.test(c)) {
      let count = 1;
      while (pattern[i + count] === c) count++;
      const max = MAX_COUNT[c];
      if (max === undefined) throw fail(`unknown pattern letter: ${c}`);
      if (count > max || (c === 'V' && count !== 2) || (c === 'O' && count !== 1 && count !== 4) || (c === 'c' && count === 2)) {
        throw fail(c === 'V' ? 'pattern letter count must be 2: V' : `too many pattern letters: ${c}`);
      }
      current.push({ kind: 'field', letter: c, count });
      i += count;
    } else if (c === "'") {
      if (pattern[i + 1] === "'") {
        current.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      for (;;) {
        if (i >= pattern.length) throw fail('pattern ends with an incomplete string literal');
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += pattern[i++];
      }
      current.push({ kind: 'literal', text });
    } else if (c === '[') {
      const optional: Token = { kind: 'optional', tokens: [] };
      current.push(optional);
      stack.push(optional.tokens);
      i++;
    } else if (c === ']') {
      if (stack.length === 1) throw fail('pattern invalid as it contains ] without previous [');
      stack.pop();
      i++;
    } else if (c === '{' || c === '}' || c === '#') {
      throw fail(`pattern includes reserved character: '${c}'`);
    } else {
      current.push({ kind: 'literal', text: c });
      i++;
    }
  }
  return stack[0]!;
}

interface DateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
  /** ISO: 1 = Monday … 7 = Sunday. */
  dayOfWeek: number;
  dayOfYear: number;
  offset: number;
  zone: Zone;
}

function toDateTime(epochMs: number, zone: Zone): DateTime {
  const offset = zone.offsetAt(epochMs);
  const local = new Date(epochMs + offset * 1000);
  const year = local.getUTCFullYear();
  const start = utcMillis(year, 1, 1, 0, 0, 0, 0);
  return {
    year,
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    nano: local.getUTCMilliseconds() * 1_000_000,
    dayOfWeek: ((local.getUTCDay() + 6) % 7) + 1,
    dayOfYear: Math.floor((local.getTime() - start) / 86_400_000) + 1,
    offset,
    zone,
  };
}

export function formatEpoch(member: string, epochMs: number, pattern: unknown, zone: Zone): string {
  const tokens = compilePattern(member, pattern);
  return formatTokens(tokens, toDateTime(epochMs, zone));
}

function formatTokens(tokens: Token[], t: DateTime): string {
  let out = '';
  for (const token of tokens) {
    if (token.kind === 'literal') out += token.text;
    else if (token.kind === 'optional') out += formatTokens(token.tokens, t);
    else out += formatField(token.letter, token.count, t);
  }
  return out;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

function yearValue(n: number, count: number): string {
  if (count === 2) return pad(((n % 100) + 100) % 100, 2);
  // SignStyle.EXCEEDS_PAD: a `+` when a 4+ letter year has more digits than letters.
  return count >= 4 && n > 0 && String(n).length > count ? `+${n}` : pad(n, count);
}

/** US week rules (Java's default locale): weeks start on Sunday; week 1 holds January 1. */
function usWeek(t: DateTime): { weekOfYear: number; weekYear: number; weekOfMonth: number; localDayOfWeek: number } {
  const localDayOfWeek = (t.dayOfWeek % 7) + 1;
  const jan1 = (localDayOfWeek - 1 - ((t.dayOfYear - 1) % 7) + 7 * 60) % 7;
  const weekOfYear = Math.floor((t.dayOfYear - 1 + jan1) / 7) + 1;
  const first = (localDayOfWeek - 1 - ((t.day - 1) % 7) + 7 * 10) % 7;
  const weekOfMonth = Math.floor((t.day - 1 + first) / 7) + 1;
  const daysInYear = isLeap(t.year) ? 366 : 365;
  const nextJan1 = (jan1 + daysInYear) % 7;
  // The last days of December belong to week 1 of the next week-based year when that week
  // starts in December.
  if (nextJan1 !== 0 && t.dayOfYear > daysInYear - nextJan1) return { weekOfYear: 1, weekYear: t.year + 1, weekOfMonth, localDayOfWeek };
  return { weekOfYear, weekYear: t.year, weekOfMonth, localDayOfWeek };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function text(names: string[], index: number, count: number): string {
  const name = names[index]!;
  if (count === 4) return name;
  if (count === 5) return name[0]!;
  return name.slice(0, 3);
}

function formatField(letter: string, count: number, t: DateTime): string {
  const hourOfAmPm = t.hour % 12;
  switch (letter) {
    case 'G': {
      const ad = t.year > 0;
      return count === 4 ? (ad ? 'Anno Domini' : 'Before Christ') : count === 5 ? (ad ? 'A' : 'B') : ad ? 'AD' : 'BC';
    }
    case 'u':
      return yearValue(t.year, count);
    case 'y':
      return yearValue(t.year > 0 ? t.year : 1 - t.year, count);
    case 'Y':
      return yearValue(usWeek(t).weekYear, count);
    case 'D':
      return pad(t.dayOfYear, count);
    case 'M':
    case 'L':
      return count >= 3 ? text(MONTHS, t.month - 1, count) : pad(t.month, count);
    case 'd':
      return pad(t.day, count);
    case 'Q':
    case 'q': {
      const quarter = Math.floor((t.month - 1) / 3) + 1;
      if (count === 3) return `Q${quarter}`;
      if (count === 4) return QUARTERS[quarter - 1]!;
      return pad(quarter, count === 5 ? 1 : count);
    }
    case 'w':
      return pad(usWeek(t).weekOfYear, count);
    case 'W':
      return String(usWeek(t).weekOfMonth);
    case 'E':
      return text(DAYS, t.dayOfWeek - 1, count);
    case 'e':
    case 'c':
      return count <= 2 ? pad(usWeek(t).localDayOfWeek, count) : text(DAYS, t.dayOfWeek - 1, count);
    case 'a':
      return t.hour < 12 ? 'AM' : 'PM';
    case 'h':
      return pad(hourOfAmPm === 0 ? 12 : hourOfAmPm, count);
    case 'K':
      return pad(hourOfAmPm, count);
    case 'k':
      return pad(t.hour === 0 ? 24 : t.hour, count);
    case 'H':
      return pad(t.hour, count);
    case 'm':
      return pad(t.minute, count);
    case 's':
      return pad(t.second, count);
    case 'S':
      return String(t.nano).padStart(9, '0').slice(0, count);
    case 'A':
      return pad(((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + Math.floor(t.nano / 1_000_000), count);
    case 'n':
      return pad(t.nano, count);
    case 'N':
      return pad(((t.hour * 60 + t.minute) * 60 + t.second) * 1e9 + t.nano, count);
    case 'V':
      return t.zone.fixed && !t.zone.region ? t.zone.id : (t.zone.region ?? t.zone.id);
    case 'z':
      return zoneName(t, count === 4);
    case 'O':
      return localizedOffset(t.offset, count === 4);
    case 'X':
    case 'x':
      if (letter === 'X' && t.offset === 0) return 'Z';
      return isoOffset(t.offset, count);
    case 'Z':
      if (count <= 3) return formatOffset(t.offset, false).slice(0, 5);
      if (count === 4) return localizedOffset(t.offset, true);
      return t.offset === 0 ? 'Z' : formatOffset(t.offset, true);
  }
  throw new Error(`unreachable pattern letter ${letter}`);
}

function isoOffset(offset: number, count: number): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  const ss = String(abs % 60).padStart(2, '0');
  switch (count) {
    case 1:
      return `${sign}${hh}${mm === '00' ? '' : mm}`;
    case 2:
      return `${sign}${hh}${mm}`;
    case 3:
      return `${sign}${hh}:${mm}`;
    case 4:
      return `${sign}${hh}${mm}${ss === '00' ? '' : ss}`;
    default:
      return `${sign}${hh}:${mm}${ss === '00' ? '' : `:${ss}`}`;
  }
}

function localizedOffset(offset: number, full: boolean): string {
  if (offset === 0) return 'GMT';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  if (full) return `GMT${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return `GMT${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

function zoneName(t: DateTime, full: boolean): string {
  if (!t.zone.region) return t.zone.id;
  if (t.zone.region === 'UTC') return full ? 'Coordinated Universal Time' : t.zone.id;
  const instant = utcMillis(t.year, t.month, t.day, t.hour, t.minute, t.second, 0) - t.offset * 1000;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: t.zone.region, timeZoneName: full ? 'long' : 'short' }).formatToParts(new Date(instant));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? t.zone.id;
}

// ---------------------------------------------------------------------------------- parsing

interface Parsed {
  fields: Map<string, number>;
  zone?: Zone;
}

class ParseError extends Error {}

export function parseToEpoch(member: string, textValue: unknown, pattern: unknown, defaultZone: Zone): number {
  if (typeof textValue !== 'string') throw argumentError(member, `the timestamp must be a string, not ${textValue === null ? 'null' : typeof textValue}`);
  const tokens = compilePattern(member, pattern);
  const parsed: Parsed = { fields: new Map() };
  let end: number;
  try {
    end = parseTokens(tokens, textValue, 0, parsed);
  } catch (error) {
    if (error instanceof ParseError) throw argumentError(member, `Text '${textValue}' could not be parsed with ${JSON.stringify(pattern)}: ${error.message}`);
    throw error;
  }
  if (end !== textValue.length) throw argumentError(member, `Text '${textValue}' could not be parsed with ${JSON.stringify(pattern)}, unparsed text found at index ${end}`);
  return resolve(member, textValue, parsed, defaultZone);
}

function isNumeric(token: Token | undefined): token is { kind: 'field'; letter: string; count: number } {
  if (!token || token.kind !== 'field') return false;
  const { letter, count } = token;
  if ('MLQqec'.includes(letter)) return count <= 2;
  return 'uyYDdwWhKkHmsSAnN'.includes(letter);
}

/** Java's fixed width of a numeric field, or undefined when it is variable. */
function fixedWidth(token: { letter: string; count: number }): number | undefined {
  const { letter, count } = token;
  if (letter === 'S') return count;
  if ('uyY'.includes(letter)) return count === 2 ? 2 : undefined;
  if (letter === 'D') return count === 3 ? 3 : undefined;
  if ('AnN'.includes(letter)) return undefined;
  return count === 2 ? 2 : undefined;
}

function parseTokens(tokens: Token[], text: string, start: number, parsed: Parsed): number {
  let pos = start;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'literal') {
      if (!text.startsWith(token.text, pos)) throw new ParseError(`expected ${JSON.stringify(token.text)} at index ${pos}`);
      pos += token.text.length;
    } else if (token.kind === 'optional') {
      const attempt: Parsed = { fields: new Map(parsed.fields), ...(parsed.zone && { zone: parsed.zone }) };
      try {
        pos = parseTokens(token.tokens, text, pos, attempt);
        parsed.fields = attempt.fields;
        if (attempt.zone) parsed.zone = attempt.zone;
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
      }
    } else if (isNumeric(token)) {
      let reserved = 0;
      for (let j = i + 1; j < tokens.length && isNumeric(tokens[j]); j++) {
        const width = fixedWidth(tokens[j] as { letter: string; count: number });
        if (width === undefined) break;
        reserved += width;
      }
      pos = parseNumber(token, text, pos, reserved, parsed);
    } else pos = parseText(token, text, pos, parsed);
  }
  return pos;
}

function parseNumber(token: { letter: string; count: number }, text: string, pos: number, reserved: number, parsed: Parsed): number {
  const { letter, count } = token;
  let sign = 1;
  let p = pos;
  if ((letter === 'u' || letter === 'y' || letter === 'Y') && count !== 2 && (text[p] === '-' || text[p] === '+')) {
    if (text[p] === '-' && letter !== 'y') sign = -1;
    p++;
  }
  let digits = 0;
  while (/[0-9]/.test(text[p + digits] ?? '')) digits++;
  const fixed = fixedWidth(token);
  let width: number;
  if (fixed !== undefined) width = fixed;
  else {
    width = Math.min(Math.max(digits - reserved, count), letter === 'D' ? 3 : 19);
  }
  if (digits < width) throw new ParseError(`expected ${width} digit(s) for '${letter.repeat(count)}' at index ${pos}`);
  const raw = text.slice(p, p + width);
  let value = Number(raw) * sign;
  if (letter === 'S') value = Number(raw.padEnd(9, '0'));
  if ((letter === 'y' || letter === 'u' || letter === 'Y') && count === 2) value = 2000 + value;
  parsed.fields.set(letter === 'L' ? 'M' : letter === 'q' ? 'Q' : letter, value);
  return p + width;
}

function parseText(token: { letter: string; count: number }, text: string, pos: number, parsed: Parsed): number {
  const { letter, count } = token;
  const choose = (names: string[], field: string, base: number): number => {
    const forms = names.map((name, index) => ({ form: count === 4 ? name : count === 5 ? name[0]! : name.slice(0, 3), index }));
    forms.sort((a, b) => b.form.length - a.form.length);
    const hit = forms.find((f) => text.startsWith(f.form, pos));
    if (!hit) throw new ParseError(`expected a ${field} name at index ${pos}`);
    parsed.fields.set(field, hit.index + base);
    return pos + hit.form.length;
  };
  switch (letter) {
    case 'G':
      return choose(count === 4 ? ['Before Christ', 'Anno Domini'] : count === 5 ? ['B', 'A'] : ['BC', 'AD'], 'G', 0);
    case 'M':
    case 'L':
      return choose(MONTHS, 'M', 1);
    case 'E':
    case 'e':
    case 'c':
      return choose(DAYS, 'E', 1);
    case 'Q':
    case 'q': {
      if (count === 3) return choose(['Q1', 'Q2', 'Q3', 'Q4'], 'Q', 1);
      return choose(QUARTERS, 'Q', 1);
    }
    case 'a':
      return choose(['AM', 'PM'], 'a', 0);
    case 'V':
    case 'z':
      return parseZoneText(text, pos, parsed);
    case 'O':
    case 'X':
    case 'x':
    case 'Z':
      return parseOffset(text, pos, parsed);
  }
  throw new ParseError(`pattern letter '${letter}' cannot be parsed`);
}

function parseOffset(text: string, pos: number, parsed: Parsed): number {
  let p = pos;
  if (text.startsWith('GMT', p)) {
    p += 3;
    if (!/[+-]/.test(text[p] ?? '')) {
      parsed.zone = resolveZone('parse', 'Z');
      return p;
    }
  }
  if (text[p] === 'Z') {
    parsed.zone = resolveZone('parse', 'Z');
    return p + 1;
  }
  const m = /^[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?/.exec(text.slice(p));
  if (!m) throw new ParseError(`expected an offset such as +08:00, +0800 or Z at index ${pos}`);
  parsed.zone = resolveZone('parse', m[0].length <= 3 ? `${m[0][0]}${m[0].slice(1).padStart(2, '0')}` : m[0]);
  return p + m[0].length;
}

function parseZoneText(text: string, pos: number, parsed: Parsed): number {
  const m = /^[A-Za-z][A-Za-z0-9~/._+:-]*|^[+-][0-9:]+/.exec(text.slice(pos));
  if (!m) throw new ParseError(`expected a time zone at index ${pos}`);
  for (let length = m[0].length; length > 0; length--) {
    try {
      parsed.zone = resolveZone('parse', m[0].slice(0, length));
      return pos + length;
    } catch {
      // try a shorter prefix: the zone may be followed by more text
    }
  }
  throw new ParseError(`unknown time zone at index ${pos}`);
}

function resolve(member: string, textValue: string, parsed: Parsed, defaultZone: Zone): number {
  const f = parsed.fields;
  const invalid = (what: string, value: number) => argumentError(member, `Text '${textValue}' could not be parsed: Invalid value for ${what}: ${value}`);
  let year = f.get('u') ?? f.get('y') ?? f.get('Y') ?? 1970;
  if (!f.has('u') && f.has('y') && f.get('G') === 0) year = 1 - year;
  let month = f.get('M') ?? 1;
  let day = f.get('d') ?? 1;
  if (f.has('D') && !f.has('M')) {
    const date = new Date(utcMillis(year, 1, 1, 0, 0, 0, 0) + (f.get('D')! - 1) * 86_400_000);
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  }
  let hour = f.get('H') ?? 0;
  if (f.has('k')) hour = f.get('k')! % 24;
  if (f.has('h') || f.has('K')) {
    const h = f.has('h') ? f.get('h')! % 12 : f.get('K')!;
    hour = h + (f.get('a') === 1 ? 12 : 0);
  }
  const minute = f.get('m') ?? 0;
  const second = f.get('s') ?? 0;
  const nano = f.get('S') ?? f.get('n') ?? 0;
  if (month < 1 || month > 12) throw invalid('MonthOfYear (valid values 1 - 12)', month);
  const monthLength = new Date(utcMillis(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
  if (day < 1 || day > monthLength) throw invalid(`DayOfMonth (valid values 1 - ${monthLength})`, day);
  if (hour < 0 || hour > 23) throw invalid('HourOfDay (valid values 0 - 23)', hour);
  if (minute > 59) throw invalid('MinuteOfHour (valid values 0 - 59)', minute);
  if (second > 59) throw invalid('SecondOfMinute (valid values 0 - 59)', second);
  const local = utcMillis(year, month, day, hour, minute, second, Math.floor(nano / 1_000_000));
  return localToEpoch(local, parsed.zone ?? defaultZone);
}
