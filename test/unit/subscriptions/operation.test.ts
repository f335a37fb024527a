import { describe, expect, it } from 'vitest';
import { createSubscriptionPreparer } from '../../../local/appsync/subscriptions/operation.ts';
import { testSchema } from './fixture.ts';

const prepare = createSubscriptionPreparer(testSchema());

describe('preparing a start', () => {
  it('resolves the root field, its response name and coerced arguments', () => {
    const prepared = prepare('subscription On($id: ID = "5") { changes: onPutItem(id: $id, name: "n") { id } }', {});
    expect(prepared).toMatchObject({ ok: true, fieldName: 'onPutItem', args: { id: '5', name: 'n' }, root: { responseName: 'changes', fieldName: 'onPutItem' } });
  });

  it('selects the named operation of a document with several', () => {
    const query = 'subscription A { onItemChange { id } } subscription B { onPutItem { id } }';
    expect(prepare(query, {}, 'B')).toMatchObject({ ok: true, fieldName: 'onPutItem' });
    expect(prepare(query, {})).toMatchObject({ ok: false, kind: 'invalid' });
    expect(prepare(query, {}, 'C')).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('names the operation of a query or mutation, valid or not', () => {
    expect(prepare('query { item(id: "1") { id } }', {})).toEqual({ ok: false, kind: 'unsupported', operation: 'query' });
    expect(prepare('mutation { nope }', {})).toEqual({ ok: false, kind: 'unsupported', operation: 'mutation' });
  });

  it('refuses a root field that @skip removes, and a field that does not exist', () => {
    expect(prepare('subscription { onItemChange @skip(if: true) { id } }', {})).toMatchObject({ ok: false, kind: 'invalid' });
    expect(prepare('subscription { onItemChange { nope } }', {})).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('normalizes equivalent selection sets to one key, and different ones to different keys', () => {
    const key = (query: string, variables: Record<string, unknown> = {}) => {
      const prepared = prepare(query, variables);
      return prepared.ok ? prepared.selectionKey : JSON.stringify(prepared);
    };
    const plain = key('subscription { onPutItem(id: "1") { id details { label } } }');
    expect(key('subscription { onPutItem(id: "2") { ...F } } fragment F on Item { id details { label } }')).toBe(plain);
    expect(key('subscription { onPutItem { ... on Item { id } details { label } } }')).toBe(plain);
    expect(key('subscription { onPutItem { id details { label } details { label } } }')).toBe(plain);
    expect(key('subscription ($t: Boolean!) { onPutItem { id details { label } tags @include(if: $t) } }', { t: false })).toBe(plain);
    expect(key('subscription ($t: Boolean!) { onPutItem { id details { label } tags @include(if: $t) } }', { t: true })).not.toBe(plain);
    expect(key('subscription { onPutItem { details { label } id } }')).not.toBe(plain);
    expect(key('subscription { renamed: onPutItem { id details { label } } }')).not.toBe(plain);
  });
});
