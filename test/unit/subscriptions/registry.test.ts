import { describe, expect, it } from 'vitest';
import { compileArgumentFilter } from '../../../local/appsync/subscriptions/argument-filter.ts';
import { compileFilter, type CompiledFilter } from '../../../local/appsync/subscriptions/enhanced-filter.ts';
import { createSubscriptionPreparer } from '../../../local/appsync/subscriptions/operation.ts';
import { createSubscriptionRegistry, type Subscriber } from '../../../local/appsync/subscriptions/registry.ts';
import { testSchema } from './fixture.ts';

const schema = testSchema();
const prepare = createSubscriptionPreparer(schema);

function setup(maxPayloadBytes = 240 * 1024) {
  const logs: { event: string; detail: Record<string, unknown> }[] = [];
  const registry = createSubscriptionRegistry({ schema, maxPayloadBytes, log: (event, detail) => logs.push({ event, detail }) });
  const received = new Map<string, unknown[]>();
  const invalidated: string[] = [];
  function add(name: string, query: string, options: { filter?: unknown; invalidationFilter?: unknown; variables?: Record<string, unknown> } = {}) {
    const prepared = prepare(query, options.variables ?? {});
    if (!prepared.ok) throw new Error(JSON.stringify(prepared));
    const compile = (json: unknown): CompiledFilter => {
      const compiled = compileFilter(json);
      if (!compiled.ok) throw new Error(compiled.message);
      return compiled.filter;
    };
    received.set(name, []);
    const subscriber: Subscriber = {
      deliver: (payloadJson) => received.get(name)!.push(JSON.parse(payloadJson)),
      invalidated: () => invalidated.push(name),
    };
    return registry.add({
      fieldName: prepared.fieldName,
      fieldType: prepared.fieldDef.type,
      root: prepared.root,
      selectionKey: prepared.selectionKey,
      filter: options.filter === undefined ? compileArgumentFilter(prepared.args) : compile(options.filter),
      ...(options.invalidationFilter !== undefined && { invalidationFilter: compile(options.invalidationFilter) }),
      subscriber,
    });
  }
  return { registry, add, received, invalidated, logs };
}

describe('which subscriptions a mutation fires', () => {
  it('fires every subscription field whose @aws_subscribe lists the mutation, and no other', () => {
    const { registry, add, received } = setup();
    add('put', 'subscription { onPutItem { id } }');
    add('change', 'subscription { onItemChange { id } }');
    add('result', 'subscription { onResult { __typename } }');
    registry.publish('deleteItem', { id: 'd' });
    registry.publish('putItem', { id: 'p', owner: 'o' });
    expect(received.get('put')).toEqual([{ data: { onPutItem: { id: 'p' } } }]);
    expect(received.get('change')).toEqual([{ data: { onItemChange: { id: 'd' } } }, { data: { onItemChange: { id: 'p' } } }]);
    expect(received.get('result')).toEqual([]);
    expect(registry.triggeredBy('putItem')).toEqual(['onPutItem', 'onItemChange', 'onFilteredItem', 'onStrictItem', 'onSecret']);
  });

  it('publishes nothing for a null mutation result, or for a mutation no subscription lists', () => {
    const { registry, add, received } = setup();
    add('change', 'subscription { onItemChange { id } }');
    expect(registry.publish('putItem', null)).toEqual({ groups: 0, deliveries: 0, oversized: 0 });
    expect(registry.publish('noSuchMutation', { id: '1' })).toEqual({ groups: 0, deliveries: 0, oversized: 0 });
    expect(received.get('change')).toEqual([]);
  });
});

describe('fan-out groups', () => {
  it('matches once per group and delivers the same rendering to every member', () => {
    const { registry, add, received } = setup();
    for (let i = 0; i < 50; i++) add(`same${i}`, 'subscription { onPutItem(id: "1") { id name } }');
    add('otherFilter', 'subscription { onPutItem(id: "2") { id name } }');
    add('otherShape', 'subscription { onPutItem(id: "1") { name } }');
    expect(registry.stats()).toEqual({ subscriptions: 52, groups: 3, views: 2 });
    expect(registry.publish('putItem', { id: '1', name: 'x', owner: 'o' })).toEqual({ groups: 2, deliveries: 51, oversized: 0 });
    expect(received.get('same0')).toEqual([{ data: { onPutItem: { id: '1', name: 'x' } } }]);
    expect(received.get('same49')).toEqual(received.get('same0'));
    expect(received.get('otherFilter')).toEqual([]);
    expect(received.get('otherShape')).toEqual([{ data: { onPutItem: { name: 'x' } } }]);
  });

  it('drops groups, and their compiled views, when their last member leaves', () => {
    const { registry, add } = setup();
    const removeA = add('a', 'subscription { onPutItem(id: "1") { id } }');
    const removeB = add('b', 'subscription { onPutItem(id: "1") { id } }');
    const removeC = add('c', 'subscription { onPutItem(id: "2") { id } }');
    removeA();
    removeA(); // idempotent
    expect(registry.stats()).toEqual({ subscriptions: 2, groups: 2, views: 1 });
    removeB();
    removeC();
    expect(registry.stats()).toEqual({ subscriptions: 0, groups: 0, views: 0 });
  });

  it('uses the enhanced filter instead of the arguments when the resolver set one', () => {
    const { registry, add, received } = setup();
    add('enhanced', 'subscription { onFilteredItem(filter: "{\\"not\\": \\"used by basic filtering\\"}") { id } }', {
      filter: { filterGroup: [{ filters: [{ fieldName: 'count', operator: 'gt', value: 5 }] }] },
    });
    registry.publish('putItem', { id: 'low', count: 1, owner: 'o' });
    registry.publish('putItem', { id: 'high', count: 9, owner: 'o' });
    expect(received.get('enhanced')).toEqual([{ data: { onFilteredItem: { id: 'high' } } }]);
  });

  it('drops a rendering over the payload limit for all its subscribers, logs it, and still serves smaller views', () => {
    const { registry, add, received, logs } = setup(100);
    add('big', 'subscription { onItemChange { id name } }');
    add('small', 'subscription { onItemChange { id } }');
    expect(registry.publish('putItem', { id: '1', name: 'é'.repeat(40), owner: 'o' })).toEqual({ groups: 2, deliveries: 1, oversized: 1 });
    expect(received.get('big')).toEqual([]);
    expect(received.get('small')).toEqual([{ data: { onItemChange: { id: '1' } } }]);
    // Counted in UTF-8 bytes: 40 × 'é' is 80 bytes.
    expect(logs.find((l) => l.event === 'payload-too-large')!.detail).toMatchObject({ subscriptionField: 'onItemChange', bytes: expect.any(Number), limit: 100 });
    expect(logs.find((l) => l.event === 'payload-too-large')!.detail.bytes).toBe(Buffer.byteLength(JSON.stringify({ data: { onItemChange: { id: '1', name: 'é'.repeat(40) } } })));
  });
});

describe('invalidation', () => {
  const byGroup = (group: string) => ({ filterGroup: [{ filters: [{ fieldName: 'group', operator: 'eq', value: group }] }] });

  it('ends the subscriptions of the field whose invalidation filter matches the payload, and only those', () => {
    const { registry, add, received, invalidated } = setup();
    add('g1', 'subscription { onItemChange { id } }', { invalidationFilter: byGroup('g1') });
    add('g2', 'subscription { onItemChange { id } }', { invalidationFilter: byGroup('g2') });
    add('plain', 'subscription { onItemChange { id } }');
    add('otherField', 'subscription { onPutItem { id } }', { invalidationFilter: byGroup('g1') });
    expect(registry.invalidate('onItemChange', { group: 'g1' })).toBe(1);
    expect(invalidated).toEqual(['g1']);
    registry.publish('putItem', { id: 'after', owner: 'o' });
    expect(received.get('g1')).toEqual([]);
    expect(received.get('g2')).toHaveLength(1);
    expect(received.get('plain')).toHaveLength(1);
    expect(received.get('otherField')).toHaveLength(1);
    expect(registry.invalidate('onItemChange', { group: 'g1' })).toBe(0);
    expect(registry.invalidate('onNothing', { group: 'g1' })).toBe(0);
  });

  it('counts an invalidated subscription out once, even if it is stopped afterwards', () => {
    const { registry, add } = setup();
    const remove = add('g1', 'subscription { onItemChange { id } }', { invalidationFilter: byGroup('g1') });
    add('other', 'subscription { onItemChange { id } }');
    registry.invalidate('onItemChange', { group: 'g1' });
    remove();
    expect(registry.stats()).toEqual({ subscriptions: 1, groups: 1, views: 1 });
  });

  it('renders a value it cannot serialize as nothing for that group, logs it, and still serves the others', () => {
    const { registry, add, received, logs } = setup();
    add('count', 'subscription { onItemChange { count } }');
    add('id', 'subscription { onItemChange { id } }');
    registry.publish('putItem', { id: '1', count: 10n, owner: 'o' });
    expect(received.get('count')).toEqual([]);
    expect(received.get('id')).toEqual([{ data: { onItemChange: { id: '1' } } }]);
    expect(logs.map((l) => l.event)).toContain('render-failed');
  });

  it('matches the invalidation payload with every operator of enhanced filters', () => {
    const { registry, add, invalidated } = setup();
    add('range', 'subscription { onItemChange { id } }', { invalidationFilter: { filterGroup: [{ filters: [{ fieldName: 'level', operator: 'between', value: [1, 3] }] }] } });
    registry.invalidate('onItemChange', { level: 5 });
    expect(invalidated).toEqual([]);
    registry.invalidate('onItemChange', { level: 2 });
    expect(invalidated).toEqual(['range']);
  });
});
