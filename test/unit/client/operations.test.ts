import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, GraphQLList, GraphQLNonNull, isObjectType, parse, print, validate, validateInputValue, type GraphQLInputObjectType, type GraphQLObjectType, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { INGEST_FEED, PUBLISH_EVENT_UPDATE, PUBLISH_HEARTBEAT, PUBLISH_JOB_UPDATE, PUBLISH_PRICE_UPDATE } from '../../../client/operations/documents.ts';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const schema = buildSchema(`${read('schema/appsync-prelude.graphql')}\n${read('schema/schema.graphql')}`);
const normalized = (source: string) => print(parse(source));

const DOCUMENTS = [
  ['client/operations/ingest-feed.graphql', INGEST_FEED],
  ['client/operations/publish-price-update.graphql', PUBLISH_PRICE_UPDATE],
  ['client/operations/publish-job-update.graphql', PUBLISH_JOB_UPDATE],
  ['client/operations/publish-heartbeat.graphql', PUBLISH_HEARTBEAT],
  ['client/operations/publish-event-update.graphql', PUBLISH_EVENT_UPDATE],
] as const;

/** Whether a selection set selects every field of the type, all the way down. */
function missingFields(type: GraphQLObjectType, selectionSet: SelectionSetNode, path = type.name): string[] {
  const selected = new Map(selectionSet.selections.map((s) => [(s as { name: { value: string } }).name.value, s as { selectionSet?: SelectionSetNode }]));
  return Object.values(type.getFields()).flatMap((field) => {
    const selection = selected.get(field.name);
    if (!selection) return [`${path}.${field.name}`];
    const named = getNamedType(field.type);
    return isObjectType(named) && selection.selectionSet ? missingFields(named, selection.selectionSet, `${path}.${field.name}`) : [];
  });
}

describe('client operations', () => {
  it.each(DOCUMENTS)('%s equals its string in documents.ts and is valid against the schema', (path, document) => {
    expect(normalized(document)).toBe(normalized(read(path)));
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  it('publish mutations select every field, since subscribers get only what the mutation selected', () => {
    for (const [document, typeName] of [
      [PUBLISH_PRICE_UPDATE, 'PriceUpdate'],
      [PUBLISH_JOB_UPDATE, 'Job'],
      [PUBLISH_HEARTBEAT, 'Heartbeat'],
      [PUBLISH_EVENT_UPDATE, 'EventUpdate'],
    ] as const) {
      const operation = parse(document).definitions[0] as { selectionSet: SelectionSetNode };
      const root = operation.selectionSet.selections[0] as { selectionSet: SelectionSetNode };
      expect(missingFields(schema.getType(typeName) as GraphQLObjectType, root.selectionSet)).toEqual([]);
    }
  });
});

describe('the sample feed', () => {
  it('is a valid [FeedMessageInput!]! as AppSync checks variables, so no batch of it is refused whole', () => {
    const messages = JSON.parse(read('client/feeds/sample-feed.json'));
    const type = new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(schema.getType('FeedMessageInput') as GraphQLInputObjectType)));
    const errors: string[] = [];
    validateInputValue(messages, type, (error, path) => errors.push(`${path.join('.')}: ${error.message}`));
    expect(errors).toEqual([]);
    expect(messages).toHaveLength(31);
  });
});
