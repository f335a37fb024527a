import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as operations from '../../../web/src/graphql/operations.ts';

// The page's operations against the schema it talks to: a renamed field or argument fails here,
// not in a browser.

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const schema = buildSchema(`${read('schema/appsync-prelude.graphql')}\n${read('schema/schema.graphql')}`);

describe('web/src/graphql/operations.ts', () => {
  const documents = Object.entries(operations).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  it.each(documents)('%s is valid against schema/schema.graphql', (_name, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });

  it('priceHistoryOfMarkets(n) is valid for one and for several markets', () => {
    for (const count of [1, 3, 10]) expect(validate(schema, parse(operations.priceHistoryOfMarkets(count))).map((error) => error.message)).toEqual([]);
  });
});
