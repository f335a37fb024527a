import { describe, expect, it } from 'vitest';
import { xmlToMap } from '../../../local/appsync/js/util/xml.ts';
import { handler, run, value } from './helpers.ts';
import { resolve, unit } from './resolver-harness.ts';

describe('util.http (D-HTTP)', () => {
  it('copyHeaders drops hop-by-hop and framing headers, whatever their case', () => {
    expect(
      value('util.http.copyHeaders({ "Content-Length": "3", Host: "h", connection: "x", TE: "t", "x-custom": "1", Accept: "a", expect: "e", "keep-alive": "k", upgrade: "u", "proxy-authorization": "p", "proxy-authenticate": "p", "transfer-encoding": "c" })'),
    ).toEqual({ 'x-custom': '1', Accept: 'a' });
  });

  it('addResponseHeader(s) add headers; the last definition wins, whatever the case of the name', async () => {
    const outcome = await resolve(unit(handler('util.http.addResponseHeader("X-One", 1); util.http.addResponseHeaders({ "x-one": "again", "X-Two": { a: 1 } }); return {};')));
    expect(outcome.responseHeaders).toEqual({ 'x-one': 'again', 'X-Two': '{"a":1}' });
    expect(outcome.appendedErrors).toEqual([]);
  });

  // UNVERIFIED: the texts of the ResponseHeaderError messages.
  it('refuses restricted names, empty names and null values with a ResponseHeaderError, and goes on', async () => {
    const outcome = await resolve(
      unit(handler('util.http.addResponseHeader("Content-Type", "x"); util.http.addResponseHeader("x-amzn-trace", "x"); util.http.addResponseHeader("X-Amz-Date", "x"); util.http.addResponseHeader("", "x"); util.http.addResponseHeader("x-ok", null); util.http.addResponseHeader("Vary", "x"); util.http.addResponseHeader("Access-Control-Allow-Origin", "*"); return { payload: "done" };')),
    );
    expect(outcome.data).toBe('done');
    expect(outcome.responseHeaders).toEqual({});
    expect(outcome.appendedErrors).toHaveLength(7);
    expect(outcome.appendedErrors.every((e) => e.errorType === 'ResponseHeaderError')).toBe(true);
    expect(outcome.appendedErrors[0]!.message).toMatch(/'Content-Type' is restricted/);
  });

  it('refuses a header that takes the total past 4 KB', async () => {
    const outcome = await resolve(unit(handler('const big = ["a","a","a","a"].map(() => ctx.args.k).join(""); util.http.addResponseHeader("x-a", big); util.http.addResponseHeader("x-b", big); return {};'), {}), {
      arguments: { k: 'k'.repeat(900) },
    });
    expect(Object.keys(outcome.responseHeaders)).toEqual(['x-a']);
    expect(outcome.appendedErrors[0]).toMatchObject({ errorType: 'ResponseHeaderError', message: expect.stringMatching(/at most 4096 bytes/) });
  });
});

describe('util.xml (D-XML)', () => {
  it('reproduces the documented examples', () => {
    expect(xmlToMap('<?xml version="1.0" encoding="UTF-8"?>\n<posts>\n<post>\n  <id>1</id>\n  <title>Getting started with GraphQL</title>\n</post>\n</posts>')).toEqual({
      posts: { post: { id: 1, title: 'Getting started with GraphQL' } },
    });
    expect(xmlToMap('<posts><post><id>1</id><title>A</title></post><post><id>2</id><title>B</title></post></posts>')).toEqual({
      posts: { post: [{ id: 1, title: 'A' }, { id: 2, title: 'B' }] },
    });
  });

  // UNVERIFIED: everything beyond the two documented examples follows org.json.
  it('reads attributes, mixed content, entities, CDATA and empty elements as org.json does', () => {
    expect(xmlToMap('<a x="1" y="yes">text &amp; more<b/><!-- c --><![CDATA[<raw>]]></a>')).toEqual({ a: { x: 1, y: 'yes', b: '', content: 'text & more<raw>' } });
    expect(xmlToMap('<flag>true</flag>')).toEqual({ flag: true });
    expect(xmlToMap('<broken>')).toBeNull();
  });

  it('toJsonString writes the map as JSON, optionally string-encoded', () => {
    expect(value('util.xml.toJsonString("<a>1</a>")')).toBe('{"a":1}');
    expect(value('util.xml.toJsonString("<a>1</a>", true)')).toBe('"{\\"a\\":1}"');
    expect(value('util.xml.toMap("<a><b>x</b></a>")')).toEqual({ a: { b: 'x' } });
  });
});

describe('util.rds.toJsonObject', () => {
  it('turns each statement result into records keyed by column label', () => {
    const result = {
      sqlStatementResults: [
        { numberOfRecordsUpdated: 0, records: [[{ stringValue: 'a' }, { longValue: 2 }, { isNull: true }, { booleanValue: true }]], columnMetadata: [{ label: 's' }, { label: 'n' }, { label: 'z' }, { name: 'b' }] },
        { numberOfRecordsUpdated: 1 },
      ],
    };
    expect(value('util.rds.toJsonObject(ctx.args.result)', { arguments: { result } })).toEqual([[{ s: 'a', n: 2, z: null, b: true }], []]);
    expect(value('util.rds.toJsonObject(JSON.stringify(ctx.args.result))', { arguments: { result } })).toEqual([[{ s: 'a', n: 2, z: null, b: true }], []]);
    expect(run('util.rds.toJsonObject("{}")').error?.message).toMatch(/util\.rds\.toJsonObject: expected an RDS Data API result/);
  });
});

describe('util.math and util.str', () => {
  // UNVERIFIED: whether randomWithinRange includes its end.
  it('util.math rounds, compares and draws random numbers in range', () => {
    expect(value('[util.math.roundNum(2.5), util.math.roundNum(-2.5), util.math.minVal(3, 1), util.math.maxVal(3, 1)]')).toEqual([3, -2, 1, 3]);
    const d = value('util.math.randomDouble()') as number;
    expect(d >= 0 && d < 1).toBe(true);
    const draws = value('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20].map(() => util.math.randomWithinRange(5, 7))') as number[];
    expect(draws.every((n) => Number.isInteger(n) && n >= 5 && n <= 7)).toBe(true);
    expect(run('util.math.randomWithinRange(7, 5)').error?.message).toMatch(/the end \(5\) is below the start \(7\)/);
  });

  it('util.str.normalize applies the four Unicode forms', () => {
    expect(value('util.str.normalize("e\\u0301", "nfc")')).toBe('é');
    expect(value('util.str.normalize("é", "nfd")')).toBe('e\u0301');
    expect(value('util.str.normalize("ﬁ", "nfkc")')).toBe('fi');
    expect(run('util.str.normalize("x", "nfx")').error?.message).toMatch(/normalization type must be "nfc", "nfd", "nfkc" or "nfkd"/);
  });
});
