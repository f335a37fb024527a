import { describe, expect, it } from 'vitest';
import { run, value } from './helpers.ts';

describe('util encoding members', () => {
  // UNVERIFIED: the escape set is inferred from the Java library.
  it('escapeJavaScript escapes quotes, backslash, slash, controls and non-ASCII as Commons Lang does', () => {
    expect(value(`util.escapeJavaScript('He said "hi"\\n\\t\\\\ it\\'s a/b é')`)).toBe('He said \\"hi\\"\\n\\t\\\\ it\\\'s a\\/b \\u00E9');
    expect(value(`util.escapeJavaScript('\\u0001')`)).toBe('\\u0001');
  });

  it('urlEncode writes application/x-www-form-urlencoded like Java URLEncoder', () => {
    expect(value(`util.urlEncode("a b&c=d/é*~!")`)).toBe('a+b%26c%3Dd%2F%C3%A9*%7E%21');
    expect(value(`util.urlDecode("a+b%26c%3Dd%2F%C3%A9")`)).toBe('a b&c=d/é');
  });

  it('urlDecode refuses a broken escape with the member named', () => {
    expect(run(`util.urlDecode("%E0%A4%A")`).error?.message).toMatch(/^code\.js:4:15: Error: util\.urlDecode: cannot decode "%E0%A4%A"/);
  });

  it('base64 round-trips UTF-8', () => {
    expect(value(`util.base64Encode("héllo")`)).toBe('aMOpbGxv');
    expect(value(`util.base64Decode("aMOpbGxv")`)).toBe('héllo');
    expect(run(`util.base64Decode("not base64!")`).error?.message).toMatch(/util\.base64Decode: "not base64!" is not base64/);
  });

  it('refuses a non-string argument', () => {
    expect(run(`util.base64Encode(5)`).error?.message).toMatch(/util\.base64Encode: its argument must be a string, not number 5/);
  });
});
