// util.dynamodb (D-DDBU); the AWS-verified outputs are in test/conformance/appsync-js.test.ts.
import { describe, expect, it } from 'vitest';
import { run, value } from './helpers.ts';

describe('util.dynamodb', () => {
  it('toDynamoDB maps every JSON type; lists never become sets and numbers stay numbers', () => {
    expect(value('util.dynamodb.toDynamoDB({ s: "x", n: 1.5, b: false, z: null, l: ["a", 1], m: { k: [true] } })')).toEqual({
      M: { s: { S: 'x' }, n: { N: 1.5 }, b: { BOOL: false }, z: { NULL: null }, l: { L: [{ S: 'a' }, { N: 1 }] }, m: { M: { k: { L: [{ BOOL: true }] } } } },
    });
    expect(value('util.dynamodb.toDynamoDB(null)')).toEqual({ NULL: null });
  });

  it('the single-type converters give null for null and undefined (the .d.ts OptionalInputType)', () => {
    for (const member of ['toString', 'toStringSet', 'toNumber', 'toNumberSet', 'toBinary', 'toBinarySet', 'toBoolean', 'toList', 'toMap', 'toMapValues']) {
      expect(value(`util.dynamodb.${member}(null)`)).toBeNull();
    }
  });

  it('refuses values of the wrong type, naming the member', () => {
    expect(run('util.dynamodb.toNumber("1")').error?.message).toMatch(/util\.dynamodb\.toNumber: expected a number, not the string "1"/);
    expect(run('util.dynamodb.toStringSet(["a", 1])').error?.message).toMatch(/util\.dynamodb\.toStringSet: element 1 must be a string/);
    expect(run('util.dynamodb.toMapValues([1])').error?.message).toMatch(/util\.dynamodb\.toMapValues: expected an object, not an array/);
  });

  it('toMapValues leaves out undefined members', () => {
    expect(value('util.dynamodb.toMapValues({ a: 1, b: undefined })')).toEqual({ a: { N: 1 } });
  });

  it('fromS3ObjectJson reads what toS3Object writes, as a string or as the {S} value', () => {
    expect(value('util.dynamodb.fromS3ObjectJson(util.dynamodb.toS3Object("k", "b", "r", "v"))')).toEqual({ key: 'k', bucket: 'b', region: 'r', version: 'v' });
    expect(value('util.dynamodb.fromS3ObjectJson(util.dynamodb.toS3Object("k", "b", "r").S)')).toEqual({ key: 'k', bucket: 'b', region: 'r' });
    expect(run('util.dynamodb.fromS3ObjectJson("nope")').error?.message).toMatch(/fromS3ObjectJson: "nope" is not the JSON toS3Object writes/);
  });
});
