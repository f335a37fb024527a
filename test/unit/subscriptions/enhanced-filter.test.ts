import { describe, expect, it } from 'vitest';
import { compileFilter, FILTER_MESSAGES } from '../../../local/appsync/subscriptions/enhanced-filter.ts';

type Rule = { fieldName: string; operator: string; value: unknown };
const filterOf = (...groups: Rule[][]) => ({ filterGroup: groups.map((filters) => ({ filters })) });

function matcher(...groups: Rule[][]) {
  const compiled = compileFilter(filterOf(...groups));
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.filter.matches;
}

const item = {
  id: '42',
  name: 'Arsenal v Chelsea',
  count: 7,
  price: 2.5,
  active: true,
  owner: null,
  tags: ['football', 'london'],
  details: { label: 'main', location: { address: { country: { name: 'UK', region: { code: 'EU' } } } } },
  children: [{ name: 'a' }],
};

describe('the 13 operators', () => {
  it.each([
    ['eq', 'count', 7, 8],
    ['eq', 'name', 'Arsenal v Chelsea', 'arsenal v chelsea'],
    ['eq', 'active', true, false],
    ['eq', 'owner', null, 'someone'],
    ['ne', 'count', 8, 7],
    ['ne', 'name', 'x', 'Arsenal v Chelsea'],
    ['le', 'count', 7, 6],
    ['lt', 'count', 8, 7],
    ['ge', 'count', 7, 8],
    ['gt', 'price', 2.4, 2.5],
    ['le', 'name', 'B', 'A'],
    ['gt', 'name', 'A', 'B'],
    ['contains', 'name', 'v Ch', 'Spurs'],
    ['contains', 'tags', 'london', 'paris'],
    ['notContains', 'name', 'Spurs', 'Arsenal'],
    ['notContains', 'tags', 'paris', 'football'],
    ['beginsWith', 'name', 'Arsenal', 'Chelsea'],
    ['in', 'count', [1, 7, 9], [1, 2]],
    ['in', 'name', ['Arsenal v Chelsea', 'x'], ['x', 'y']],
    ['notIn', 'count', [1, 2], [7]],
    ['between', 'count', [7, 10], [8, 10]],
    ['between', 'price', [1, 2.5], [1, 2.4]],
    ['between', 'name', ['A', 'B'], ['B', 'C']],
    ['containsAny', 'tags', ['paris', 'london'], ['paris', 'rome']],
  ])('%s on %s: %j matches, %j does not', (operator, fieldName, matching, notMatching) => {
    expect(matcher([{ fieldName, operator, value: matching }])(item)).toBe(true);
    expect(matcher([{ fieldName, operator, value: notMatching }])(item)).toBe(false);
  });

  it('orders only values of the same type: a number field never compares with a string', () => {
    expect(matcher([{ fieldName: 'count', operator: 'gt', value: '1' }])(item)).toBe(false);
    expect(matcher([{ fieldName: 'count', operator: 'between', value: ['1', '9'] }])(item)).toBe(false);
  });

  it('treats `between` as inclusive at both ends [INFER, docs/reference/appsync-realtime.md §6]', () => {
    expect(matcher([{ fieldName: 'count', operator: 'between', value: [7, 7] }])(item)).toBe(true);
  });

  it('compares an absent field as null [INFER]: eq null matches, ne and notIn match, ordering does not', () => {
    expect(matcher([{ fieldName: 'missing', operator: 'eq', value: null }])(item)).toBe(true);
    expect(matcher([{ fieldName: 'missing', operator: 'eq', value: 1 }])(item)).toBe(false);
    expect(matcher([{ fieldName: 'missing', operator: 'ne', value: 1 }])(item)).toBe(true);
    expect(matcher([{ fieldName: 'missing', operator: 'notIn', value: [1] }])(item)).toBe(true);
    expect(matcher([{ fieldName: 'missing', operator: 'gt', value: 0 }])(item)).toBe(false);
    expect(matcher([{ fieldName: 'missing', operator: 'containsAny', value: [1] }])(item)).toBe(false);
  });
});

describe('groups and rules', () => {
  it('ANDs the rules of a group', () => {
    const match = matcher([
      { fieldName: 'count', operator: 'gt', value: 5 },
      { fieldName: 'name', operator: 'beginsWith', value: 'Arsenal' },
    ]);
    expect(match(item)).toBe(true);
    expect(match({ ...item, count: 1 })).toBe(false);
    expect(match({ ...item, name: 'Chelsea v Arsenal' })).toBe(false);
  });

  it('ORs the groups', () => {
    const match = matcher([{ fieldName: 'count', operator: 'eq', value: 1 }], [{ fieldName: 'name', operator: 'eq', value: 'x' }]);
    expect(match({ count: 1, name: 'y' })).toBe(true);
    expect(match({ count: 2, name: 'x' })).toBe(true);
    expect(match({ count: 2, name: 'y' })).toBe(false);
  });

  it('follows `.` paths into nested objects up to 5 levels', () => {
    expect(matcher([{ fieldName: 'details.location.address.country.name', operator: 'eq', value: 'UK' }])(item)).toBe(true);
    expect(matcher([{ fieldName: 'details.location.address.country.name', operator: 'eq', value: 'FR' }])(item)).toBe(false);
    expect(matcher([{ fieldName: 'details.nothing.here', operator: 'eq', value: 'x' }])(item)).toBe(false);
  });

  it('ignores rules nested deeper than 5 levels (DOC-EF) and says which', () => {
    const compiled = compileFilter(
      filterOf([
        { fieldName: 'details.location.address.country.region.code', operator: 'eq', value: 'NOT-EU' },
        { fieldName: 'count', operator: 'eq', value: 7 },
      ]),
    );
    expect(compiled.ok && compiled.ignoredFields).toEqual(['details.location.address.country.region.code']);
    expect(compiled.ok && compiled.filter.matches(item)).toBe(true);
  });

  it('cannot look inside lists of objects: a path through a list never matches (DOC-EF)', () => {
    expect(matcher([{ fieldName: 'children.name', operator: 'eq', value: 'a' }])(item)).toBe(false);
    expect(matcher([{ fieldName: 'children.name', operator: 'ne', value: 'b' }])(item)).toBe(false);
  });

  it('accepts the filter as a JSON string too', () => {
    const compiled = compileFilter(JSON.stringify(filterOf([{ fieldName: 'id', operator: 'eq', value: '42' }])));
    expect(compiled.ok && compiled.filter.matches(item)).toBe(true);
  });

  it('gives equal filters equal keys and different filters different keys, so subscribers can share a group', () => {
    const key = (filter: unknown) => {
      const compiled = compileFilter(filter);
      return compiled.ok ? compiled.filter.key : compiled.message;
    };
    const a = { filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: '1' }] }] };
    const sameReordered = { filterGroup: [{ filters: [{ value: '1', operator: 'eq', fieldName: 'id' }] }] };
    expect(key(a)).toBe(key(sameReordered));
    expect(key(a)).not.toBe(key({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: '2' }] }] }));
  });
});

describe('limits, checked when the subscription starts', () => {
  const rule = (fieldName: string): Rule => ({ fieldName, operator: 'eq', value: 1 });
  const refusal = (filter: unknown) => {
    const compiled = compileFilter(filter);
    return compiled.ok ? 'accepted' : compiled.message;
  };

  it('allows 10 groups and refuses 11 with AppSync’s message', () => {
    expect(refusal(filterOf(...Array.from({ length: 10 }, (_, i) => [rule(`f${i}`)])))).toBe('accepted');
    expect(refusal(filterOf(...Array.from({ length: 11 }, (_, i) => [rule(`f${i}`)])))).toBe('Filters combination exceed maximum limit 10 for subscription.');
  });

  it('allows 5 rules in a group and refuses 6 (message prefix verified, suffix UNVERIFIED)', () => {
    expect(refusal(filterOf(['a', 'b', 'c', 'd', 'e'].map(rule)))).toBe('accepted');
    expect(refusal(filterOf(['a', 'b', 'c', 'd', 'e', 'f'].map(rule)))).toBe(FILTER_MESSAGES.tooManyRules);
    expect(FILTER_MESSAGES.tooManyRules.startsWith('Filters exceed maximum attributes limit')).toBe(true);
  });

  it('refuses a fieldName used twice in one group, but not in two groups', () => {
    expect(refusal(filterOf([rule('id'), { fieldName: 'id', operator: 'ne', value: 2 }]))).toBe('subscription filter uses same fieldName multiple time');
    expect(refusal(filterOf([rule('id')], [rule('id')]))).toBe('accepted');
  });

  it.each([
    ['in', 5],
    ['notIn', 5],
    ['containsAny', 20],
  ])('allows %s with %i values and refuses one more [message text UNVERIFIED]', (operator, limit) => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(refusal(filterOf([{ fieldName: 'count', operator, value: values(limit) }]))).toBe('accepted');
    expect(refusal(filterOf([{ fieldName: 'count', operator, value: values(limit + 1) }]))).toBe(FILTER_MESSAGES.tooManyValues(operator, limit));
  });

  it('refuses a fieldName longer than 256 characters [message UNVERIFIED]', () => {
    expect(refusal(filterOf([rule('a'.repeat(256))]))).toBe('accepted');
    expect(refusal(filterOf([rule('a'.repeat(257))]))).toBe(FILTER_MESSAGES.fieldNameTooLong);
  });

  it.each([
    ['no filterGroup', { filters: [] }],
    ['a group without filters', { filterGroup: [{}] }],
    ['a rule without fieldName', filterOf([{ fieldName: '', operator: 'eq', value: 1 }])],
    ['an operator that does not exist (AppSync reportedly accepts it silently; refused here)', filterOf([{ fieldName: 'id', operator: 'attributeExists', value: true }])],
    ['an inherited property name as operator', filterOf([{ fieldName: 'id', operator: 'toString', value: 1 }])],
    ['in with a non-list value', filterOf([{ fieldName: 'id', operator: 'in', value: 1 }])],
    ['between with one bound', filterOf([{ fieldName: 'id', operator: 'between', value: [1] }])],
    ['between with mixed types', filterOf([{ fieldName: 'id', operator: 'between', value: [1, 'z'] }])],
    ['beginsWith a number', filterOf([{ fieldName: 'id', operator: 'beginsWith', value: 1 }])],
    ['eq an object', filterOf([{ fieldName: 'id', operator: 'eq', value: { a: 1 } }])],
    ['text that is not JSON', '{nope'],
  ])('refuses %s as an invalid filter, naming the problem', (_what, filter) => {
    expect(refusal(filter)).toMatch(/^Invalid subscription filter: /);
  });

  it('treats an empty filterGroup as no constraint [INFER]', () => {
    const compiled = compileFilter({ filterGroup: [] });
    expect(compiled.ok && compiled.filter.matches(item)).toBe(true);
  });
});
