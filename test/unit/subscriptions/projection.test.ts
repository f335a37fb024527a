import { describe, expect, it } from 'vitest';
import { createSubscriptionPreparer } from '../../../local/appsync/subscriptions/operation.ts';
import { compileProjection } from '../../../local/appsync/subscriptions/projection.ts';
import { testSchema } from './fixture.ts';

const schema = testSchema();
const prepare = createSubscriptionPreparer(schema);

/** What a subscriber with this document receives for a published value. */
function project(query: string, published: unknown, variables: Record<string, unknown> = {}) {
  const prepared = prepare(query, variables);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared));
  return compileProjection(schema, prepared.root, prepared.fieldDef.type)(published);
}

const published = { id: '1', name: 'n', owner: 'o', tags: ['a', 'b'], details: { label: 'l', code: 'c' }, children: [{ name: 'x' }, { name: 'y' }] };

describe('payload projection', () => {
  it('sends the subscriber’s selection set, not what else the mutation returned', () => {
    expect(project('subscription { onItemChange { id tags } }', published)).toEqual({ data: { onItemChange: { id: '1', tags: ['a', 'b'] } } });
  });

  it('keeps the selection order of the subscriber', () => {
    expect(JSON.stringify(project('subscription { onItemChange { owner id } }', published))).toBe('{"data":{"onItemChange":{"owner":"o","id":"1"}}}');
  });

  it('makes a nullable field the mutation did not select null', () => {
    expect(project('subscription { onItemChange { id group count } }', published)).toEqual({ data: { onItemChange: { id: '1', group: null, count: null } } });
  });

  it('answers a non-null field the mutation did not select with an error, nulling the nearest nullable parent', () => {
    const result = project('subscription { onItemChange { id details { label code } } }', { id: '1', owner: 'o', details: { label: 'l' } });
    expect(result.data).toEqual({ onItemChange: { id: '1', details: null } });
    expect(result.errors).toEqual([
      { path: ['onItemChange', 'details', 'code'], data: null, errorType: null, errorInfo: null, locations: [], message: 'Cannot return null for non-nullable field Details.code.' },
    ]);
  });

  it('propagates through non-null list items to the list, and through a non-null root to data', () => {
    const list = project('subscription { onItemChange { id children { name } } }', { id: '1', owner: 'o', children: [{ name: 'x' }, {}] });
    expect(list.data).toEqual({ onItemChange: { id: '1', children: null } });
    expect(list.errors!.map((e) => e.path)).toEqual([['onItemChange', 'children', 1, 'name']]);

    const root = project('subscription { onStrictItem { id owner } }', { id: '1' });
    expect(root.data).toBeNull();
    expect(root.errors!.map((e) => e.message)).toEqual(['Cannot return null for non-nullable field Item.owner.']);
  });

  it('reports a non-null violation once, where it happened', () => {
    const result = project('subscription { onStrictItem { owner } }', { id: '1' });
    expect(result.errors).toHaveLength(1);
  });

  it('honours aliases at the root and inside, and may select a field twice under two names', () => {
    expect(project('subscription { item: onItemChange { key: id id label: details { text: label } } }', published)).toEqual({
      data: { item: { key: '1', id: '1', label: { text: 'l' } } },
    });
  });

  it('fills __typename from the schema, also where the mutation did not select it', () => {
    expect(project('subscription { onItemChange { __typename details { __typename label } } }', published)).toEqual({
      data: { onItemChange: { __typename: 'Item', details: { __typename: 'Details', label: 'l' } } },
    });
  });

  it('expands fragments, inline fragments and @skip/@include with the subscriber’s variables', () => {
    const query = `subscription ($withTags: Boolean!) {
      onItemChange { ...Basics ... on Item { owner } tags @include(if: $withTags) name @skip(if: true) }
    }
    fragment Basics on Item { id }`;
    expect(project(query, published, { withTags: false })).toEqual({ data: { onItemChange: { id: '1', owner: 'o' } } });
    expect(project(query, published, { withTags: true })).toEqual({ data: { onItemChange: { id: '1', owner: 'o', tags: ['a', 'b'] } } });
  });

  it('resolves a union by the __typename the mutation selected, and errors without it [INFER]', () => {
    const query = 'subscription { onResult { __typename ... on Item { id name } ... on Other { id title } } }';
    expect(project(query, { __typename: 'Other', id: '9', title: 't' })).toEqual({ data: { onResult: { __typename: 'Other', id: '9', title: 't' } } });
    expect(project(query, { __typename: 'Item', id: '1', name: 'n', owner: 'o' })).toEqual({ data: { onResult: { __typename: 'Item', id: '1', name: 'n' } } });
    const unknown = project(query, { id: '9', title: 't' });
    expect(unknown.data).toEqual({ onResult: null });
    expect(unknown.errors![0]!.message).toContain('__typename');
  });

  it('does not re-serialize leaf values: they are already in their wire form', () => {
    expect(project('subscription { onItemChange { price count active } }', { price: 1.5, count: 0, active: false })).toEqual({
      data: { onItemChange: { price: 1.5, count: 0, active: false } },
    });
  });
});
