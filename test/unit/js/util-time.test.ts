// util.time (D-TIME): the examples of the (VTL) docs, DateTimeFormatter patterns and zones.
import { describe, expect, it } from 'vitest';
import { createTimeUtils } from '../../../local/appsync/js/util/time/index.ts';
import { run, value } from './helpers.ts';

const FIXED = 1517943695758; // 2018-02-06T19:01:35.758Z, the docs' instant
const time = createTimeUtils(() => FIXED);

describe('util.time', () => {
  it('reproduces the D-TIME examples', () => {
    expect(time.nowISO8601()).toBe('2018-02-06T19:01:35.758Z');
    expect(time.nowEpochSeconds()).toBe(1517943695);
    expect(time.nowEpochMilliSeconds()).toBe(FIXED);
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', '+08:00')).toBe('2018-02-07 03:01:35+0800');
    expect(time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-01 17:21:05.180+08:00', 'yyyy-MM-dd HH:mm:ss.SSSZ')).toBe(1517476865180);
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-01 17:21:05.180', 'yyyy-MM-dd HH:mm:ss.SSS', 'Australia/Perth')).toBe(1517476865180);
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.180+08:00')).toBe(1517476865180);
    expect(time.epochMilliSecondsToSeconds(1517943695758)).toBe(1517943695);
    expect(time.epochMilliSecondsToISO8601(1517943695758)).toBe('2018-02-06T19:01:35.758Z');
    expect(time.epochMilliSecondsToFormatted(1517943695758, 'yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
    expect(time.epochMilliSecondsToFormatted(1517943695758, 'yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
  });

  it('formats every supported pattern letter as DateTimeFormatter does in English', () => {
    const format = (pattern: string, zone = 'UTC') => time.epochMilliSecondsToFormatted(FIXED, pattern, zone);
    expect(format("EEEE, MMMM d, yyyy 'at' h:mm:ss.SSS a")).toBe('Tuesday, February 6, 2018 at 7:01:35.758 PM');
    expect(format('EEE MMM dd yy G GGGG')).toBe('Tue Feb 06 18 AD Anno Domini');
    expect(format('uuuu-DDD Q QQ QQQ QQQQ e ee')).toBe('2018-037 1 01 Q1 1st quarter 3 03');
    expect(format('w W Y')).toBe('6 2 2018');
    expect(format('K k H hh mm ss n A')).toBe('7 19 19 07 01 35 758000000 68495758');
    expect(format("''yyyy'' '[literal]' [HH]")).toBe("'2018' [literal] 19");
    expect(format('XXX xxx X Z ZZZZ ZZZZZ O OOOO VV', 'America/Los_Angeles')).toBe('-08:00 -08:00 -08 -0800 GMT-08:00 -08:00 GMT-8 GMT-08:00 America/Los_Angeles');
    expect(format('XXX xxx Z ZZZZ ZZZZZ O', 'UTC')).toBe('Z +00:00 +0000 GMT Z GMT');
    expect(format('z zzzz', 'America/Los_Angeles')).toBe('PST Pacific Standard Time');
    expect(format('HH:mm z', '+05:30')).toBe('00:31 +05:30');
  });

  it('parses fixed-width adjacent fields, text fields, 12-hour clocks and zones', () => {
    expect(time.parseFormattedToEpochMilliSeconds('20180206190135758', 'yyyyMMddHHmmssSSS')).toBe(FIXED);
    expect(time.parseFormattedToEpochMilliSeconds('Tue, 06 Feb 2018 07:01:35 PM', 'EEE, dd MMM yyyy hh:mm:ss a')).toBe(1517943695000);
    expect(time.parseFormattedToEpochMilliSeconds('2018-07-01 12:00 America/New_York', 'yyyy-MM-dd HH:mm VV')).toBe(Date.UTC(2018, 6, 1, 16));
    expect(time.parseFormattedToEpochMilliSeconds('2018-07-01T12:00:00Z', "yyyy-MM-dd'T'HH:mm:ssXXX")).toBe(Date.UTC(2018, 6, 1, 12));
    // Missing fields default (lenient; UNVERIFIED): a date alone is midnight.
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-06', 'yyyy-MM-dd')).toBe(Date.UTC(2018, 1, 6));
    // Daylight saving: 2018-03-11 02:30 does not exist in New York; java.time moves it forward.
    expect(time.parseFormattedToEpochMilliSeconds('2018-03-11 02:30', 'yyyy-MM-dd HH:mm', 'America/New_York')).toBe(Date.UTC(2018, 2, 11, 7, 30));
  });

  // UNVERIFIED: a timestamp without an offset is UTC; milliseconds are always written.
  it('parses ISO 8601 with and without an offset', () => {
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05Z')).toBe(Date.UTC(2018, 1, 1, 17, 21, 5));
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.123456789-0130')).toBe(Date.UTC(2018, 1, 1, 18, 51, 5, 123));
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01')).toBe(Date.UTC(2018, 1, 1));
  });

  it('reports bad patterns, zones and text as errors naming the member', () => {
    expect(() => time.nowFormatted('yyyy-bb')).toThrow(/util\.time\.nowFormatted: invalid DateTimeFormatter pattern "yyyy-bb": unknown pattern letter: b/);
    expect(() => time.nowFormatted('yyyy', 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => time.parseFormattedToEpochMilliSeconds('2018-13-01', 'yyyy-MM-dd')).toThrow(/Invalid value for MonthOfYear/);
    expect(() => time.parseFormattedToEpochMilliSeconds('2018-02-01x', 'yyyy-MM-dd')).toThrow(/unparsed text found at index 10/);
    expect(() => time.parseISO8601ToEpochMilliSeconds('yesterday')).toThrow(/is not an ISO 8601 timestamp/);
  });

  it('is the util.time the handlers get', () => {
    const now = value('util.time.nowEpochMilliSeconds()') as number;
    expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
    expect(value('util.time.epochMilliSecondsToFormatted(0, "yyyy-MM-dd HH:mm", "Asia/Kolkata")')).toBe('1970-01-01 05:30');
    expect(run('util.time.nowFormatted("yyyy {")').error?.message).toMatch(/Error: util\.time\.nowFormatted: invalid DateTimeFormatter pattern "yyyy \{": pattern includes reserved character/);
  });
});
