import { describe, expect, it } from 'vitest';
import { compileArgumentFilter } from '../../../local/appsync/subscriptions/argument-filter.ts';
import { createSubscriptionPreparer } from '../../../local/appsync/subscriptions/operation.ts';
import { testSchema } from './fixture.ts';

const prepare = createSubscriptionPreparer(testSchema());

/** The argument filter of a subscription as a client would write it. */
function filterFor(query: string, variables: Record<string, unknown> = {}) {
  const prepared = prepare(query, variables);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared));
  return compileArgumentFilter(prepared.args);
}

describe('basic (argument) filtering', () => {
  it('matches everything when no argument is given', () => {
    const filter = filterFor('subscription { onPutItem { id } }');
    expect(filter.matches({ id: '1', group: 'a' })).toBe(true);
    expect(filter.matches({})).toBe(true);
  });

  it('delivers scalar and list results to a subscription without arguments (UNVERIFIED against AppSync; the Amplify simulator does so)', () => {
    const filter = compileArgumentFilter({});
    expect(filter.matches(4242)).toBe(true);
    expect(filter.matches('text')).toBe(true);
    expect(filter.matches(false)).toBe(true);
    expect(filter.matches(['a', 'b'])).toBe(true);
    expect(filter.matches([{ id: '1' }])).toBe(true);
  });

  it('never matches a scalar or a list when arguments are given: they have no top-level fields (aws-appsync-community#364)', () => {
    const filter = compileArgumentFilter({ id: '1' });
    expect(filter.matches(4242)).toBe(false);
    expect(filter.matches([{ id: '1' }])).toBe(false);
    expect(compileArgumentFilter({ length: 1 }).matches(['a'])).toBe(false);
  });

  it('matches an argument by equality with the top-level field of the published data', () => {
    const filter = filterFor('subscription { onPutItem(id: "1") { id } }');
    expect(filter.matches({ id: '1' })).toBe(true);
    expect(filter.matches({ id: '2' })).toBe(false);
  });

  it('coerces the argument to its GraphQL type first: an ID given as an Int literal is the string', () => {
    const filter = filterFor('subscription { onPutItem(id: 1) { id } }');
    expect(filter.matches({ id: '1' })).toBe(true);
    expect(filter.matches({ id: 1 })).toBe(false);
  });

  it('ANDs several arguments', () => {
    const filter = filterFor('subscription { onPutItem(id: "1", group: "g") { id } }');
    expect(filter.matches({ id: '1', group: 'g' })).toBe(true);
    expect(filter.matches({ id: '1', group: 'h' })).toBe(false);
    expect(filter.matches({ id: '2', group: 'g' })).toBe(false);
  });

  it('treats an explicit null as a filter that matches only null (DOC-DATA "Argument null value has meaning")', () => {
    const filter = filterFor('subscription { onPutItem(group: null) { id } }');
    expect(filter.matches({ id: '1', group: null })).toBe(true);
    expect(filter.matches({ id: '1', group: 'g' })).toBe(false);
  });

  it('treats a null variable as explicit null, and an unset variable as omitted', () => {
    const query = 'subscription ($g: String) { onPutItem(group: $g) { id } }';
    expect(filterFor(query, { g: null }).matches({ group: 'g' })).toBe(false);
    expect(filterFor(query, { g: null }).matches({ group: null })).toBe(true);
    expect(filterFor(query, {}).matches({ group: 'g' })).toBe(true);
  });

  it('never matches when the mutation did not select the filtered field, not even against null', () => {
    expect(filterFor('subscription { onPutItem(group: "g") { id } }').matches({ id: '1' })).toBe(false);
    expect(filterFor('subscription { onPutItem(group: null) { id } }').matches({ id: '1' })).toBe(false);
  });

  it('keys equal argument sets equally, whatever their order or spelling, and unequal ones differently', () => {
    const a = filterFor('subscription { onPutItem(id: "1", group: "g") { id } }');
    const b = filterFor('subscription ($g: String) { onPutItem(group: $g, id: "1") { id } }', { g: 'g' });
    const c = filterFor('subscription { onPutItem(id: "1", group: null) { id } }');
    const d = filterFor('subscription { onPutItem(id: "1") { id } }');
    expect(a.key).toBe(b.key);
    expect(new Set([a.key, c.key, d.key]).size).toBe(3);
  });
});
