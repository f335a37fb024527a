import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as operations from '../../../web/src/graphql/operations.ts';

// The page's operations against the schema it talks to: a renamed field or argument fails here,
// not in a browser.

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const schema = buildSchema(`${read('schema/appsync-prelude.graphql')}\n${read('schema/schema.graphql')}`);

describe('web/src/graphql/operations.ts', () => {
  it.each(Object.entries(operations))('%s is valid against schema/schema.graphql', (_name, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});
