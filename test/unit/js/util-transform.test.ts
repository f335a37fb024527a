// util.transform (D-XF). The DynamoDB cases follow the EvaluateCode recordings of
// localstack/appsync-utils `__tests__/__snapshots__/transform.test.js.snap`; the two
// [AWS-verified] ones are in the conformance test.
import { describe, expect, it } from 'vitest';
import { renderDynamoDBExpression } from '../../../local/appsync/js/util/transform/dynamodb-expression.ts';
import { toSubscriptionFilter } from '../../../local/appsync/js/util/transform/subscription-filter.ts';
import { run, value } from './helpers.ts';

const render = (filter: unknown) => renderDynamoDBExpression(filter);
const expression = (filter: unknown) => render(filter)?.expression;

describe('util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression', () => {
  it('returns a JSON string, the same for filters and conditions', () => {
    const filter = value('util.transform.toDynamoDBFilterExpression({ content: { contains: "foo" } })');
    expect(filter).toBe('{"expression":"(contains(#content,:content_contains))","expressionNames":{"#content":"content"},"expressionValues":{":content_contains":{"S":"foo"}}}');
    expect(value('util.transform.toDynamoDBConditionExpression({ content: { contains: "foo" } })')).toBe(filter);
    expect(value('util.transform.toDynamoDBConditionExpression({ and: [{ id: { attributeExists: false } }] })')).toBe(
      '{"expression":"(attribute_not_exists(#id))","expressionNames":{"#id":"id"},"expressionValues":{}}',
    );
  });

  it('renders every operator', () => {
    for (const [op, sign] of [['eq', '='], ['ne', '<>'], ['lt', '<'], ['le', '<='], ['gt', '>'], ['ge', '>=']]) {
      expect(expression({ v: { [op!]: 'x' } })).toBe(`(#v ${sign} :v_${op})`);
    }
    expect(expression({ v: { notContains: 'x' } })).toBe('(NOT contains(#v,:v_notContains))');
    expect(expression({ v: { beginsWith: 'x' } })).toBe('(begins_with(#v,:v_beginsWith))');
    expect(render({ v: { between: [1, 9, 3] } })).toEqual({
      expression: '(#v BETWEEN :v_between_start AND :v_between_end)',
      expressionNames: { '#v': 'v' },
      expressionValues: { ':v_between_start': { N: 1 }, ':v_between_end': { N: 9 } },
    });
    expect(render({ v: { in: ['a', 'b'] } })?.expression).toBe('(#v IN (:v_in_0, :v_in_1))');
    expect(render({ v: { in: [] } })).toEqual({ expression: '(null)', expressionNames: { '#v': 'v' }, expressionValues: {} });
    expect(expression({ v: { attributeExists: true } })).toBe('(attribute_exists(#v))');
    const types = render({ a: { attributeType: '_null' }, j: { attributeType: 'map' } });
    expect(types?.expression).toBe('(attribute_type(#a,:a_attributeType)) AND (attribute_type(#j,:j_attributeType))');
    expect(types?.expressionValues).toEqual({ ':a_attributeType': { S: 'NULL' }, ':j_attributeType': { S: 'M' } });
  });

  it('renders size without nesting the call', () => {
    expect(expression({ v: { size: { gt: 2 } } })).toBe('(size(#v) > :v_size_gt)');
    expect(expression({ v: { size: { gt: 2, lt: 5 } } })).toBe('((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))');
    expect(expression({ v: { size: { contains: 'x' } } })).toBe('(contains(size(#v),:v_size_contains))');
    expect(expression({ v: { size: { size: { gt: 1 } } } })).toBe('(size(#v) > :v_size_size_gt)');
  });

  it('groups and names values by their nesting', () => {
    expect(expression({ a: { eq: 1 }, b: { eq: 2 } })).toBe('(#a = :a_eq) AND (#b = :b_eq)');
    expect(expression({ v: { ge: 1, le: 5 } })).toBe('((#v >= :v_ge) AND (#v <= :v_le))');
    expect(expression({ and: [{ a: { eq: 1 } }] })).toBe('(#a = :and_0_a_eq)');
    expect(expression({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toBe('((#a = :or_0_a_eq) OR (#b = :or_1_b_eq))');
    expect(expression({ not: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] } })).toBe('(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))');
    expect(expression({ not: { not: { a: { eq: 1 } } } })).toBe('(NOT (NOT (#a = :not_not_a_eq)))');
    expect(expression({ and: [{ or: [{ and: [{ a: { eq: 1 } }] }] }] })).toBe('(#a = :and_0_or_0_and_0_a_eq)');
    expect(expression({ 'a.b': { eq: 1 } })).toBe('(#a.b = :a.b_eq)');
  });

  it('keeps the recorded oddities of empty members', () => {
    expect(render({})).toEqual({ expression: '', expressionNames: {}, expressionValues: {} });
    expect(render({ v: {} })).toEqual({ expression: '', expressionNames: { '#v': 'v' }, expressionValues: {} });
    expect(expression({ a: { eq: 1 }, b: {} })).toBe('(#a = :a_eq) AND ');
    expect(expression({ and: [{ a: { eq: 1 } }, {}] })).toBe('((#a = :and_0_a_eq) AND )');
    expect(expression({ not: {} })).toBe('(NOT )');
  });

  it('gives null for what AWS cannot render', () => {
    for (const filter of [undefined, null, [], 'string', { v: { foo: 1 } }, { v: 'x' }, { a: { b: { eq: 1 } } }, { and: { a: { eq: 1 } } }, { and: null }, { and: [{ a: { eq: 1 } }, null] }, { not: [{ a: { eq: 1 } }] }, { v: { between: [1] } }, { v: { between: 'x' } }, { v: { in: 'x' } }, { v: { attributeExists: 'yes' } }, { v: { attributeType: 'S' } }, { v: { size: 3 } }]) {
      expect(render(filter)).toBeNull();
    }
    expect(value('util.transform.toDynamoDBFilterExpression({ v: { foo: 1 } })')).toBeNull();
  });
});

describe('util.transform.toElasticsearchQueryDSL', () => {
  it('reproduces the documented example (D-XF)', () => {
    const dsl = value('util.transform.toElasticsearchQueryDSL({ upvotes: { ne: 15, range: [10, 20] }, title: { eq: "hihihi", wildcard: "h*i" } })');
    expect(JSON.parse(dsl as string)).toEqual({
      bool: {
        must: [
          { bool: { must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }] } },
          { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
        ],
      },
    });
  });

  // UNVERIFIED: everything beyond the documented example.
  it('maps the other operators and and/or/not', () => {
    const dsl = (filter: string) => JSON.parse(value(`util.transform.toElasticsearchQueryDSL(${filter})`) as string);
    expect(dsl('{ a: { gt: 1 } }')).toEqual({ range: { a: { gt: 1 } } });
    expect(dsl('{ a: { matchPhrasePrefix: "x" } }')).toEqual({ match_phrase_prefix: { a: 'x' } });
    expect(dsl('{ a: { exists: false } }')).toEqual({ bool: { must_not: { exists: { field: 'a' } } } });
    expect(dsl('{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }')).toEqual({ bool: { should: [{ term: { a: 1 } }, { term: { b: 2 } }], minimum_should_match: 1 } });
    expect(dsl('{ not: { a: { eq: 1 } } }')).toEqual({ bool: { must_not: { term: { a: 1 } } } });
    expect(run('util.transform.toElasticsearchQueryDSL({ a: { near: 1 } })').error?.message).toMatch(/toElasticsearchQueryDSL: unknown operator "near" on "a"/);
  });
});

describe('util.transform.toSubscriptionFilter', () => {
  const groups = (filter: unknown, ignored?: unknown, rules?: unknown) =>
    toSubscriptionFilter(filter, ignored, rules)?.filterGroup.map((g) => g.filters.map((f) => `${f.fieldName} ${f.operator} ${JSON.stringify(f.value)}`));

  it('reproduces the D-XF worked example: operators of a field and or-members multiply out (2 × 2 groups)', () => {
    expect(
      groups({ percentageUp: { lte: 50, gte: 20 }, and: [{ title: { ne: 'Book1' } }, { downvotes: { gt: 2000 } }], or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }] }),
    ).toEqual([
      ['percentageUp lte 50', 'title ne "Book1"', 'downvotes gt 2000', 'author eq "Admin"'],
      ['percentageUp lte 50', 'title ne "Book1"', 'downvotes gt 2000', 'isPublished eq false'],
      ['percentageUp gte 20', 'title ne "Book1"', 'downvotes gt 2000', 'author eq "Admin"'],
      ['percentageUp gte 20', 'title ne "Book1"', 'downvotes gt 2000', 'isPublished eq false'],
    ]);
  });

  it('ands fields and and-members, ors or-members, keeps paths and values as written', () => {
    expect(groups({ a: { eq: 1 }, b: { in: [1, 2] } })).toEqual([['a eq 1', 'b in [1,2]']]);
    expect(groups({ and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] })).toEqual([
      ['a eq 1', 'b eq 2'],
      ['a eq 1', 'c eq 3'],
    ]);
    expect(groups({ 'loc.addr.country': { eq: 'USA' } })).toEqual([['loc.addr.country eq "USA"']]);
    expect(groups({ a: { containsAny: ['x', 'y'] }, b: { between: [1, 9] } })).toEqual([['a containsAny ["x","y"]', 'b between [1,9]']]);
    // `not` is not special here: it reads as a field.
    expect(groups({ not: { a: { eq: 1 } } })).toEqual([['not a {"eq":1}']]);
  });

  it('drops ignored fields anywhere and adds each rule as an alternative', () => {
    expect(groups({ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, ['b'])).toEqual([['a eq 1']]);
    expect(groups({ a: { eq: 1 } }, [], { r1: { gte: 250 }, r2: { eq: 'p' } })).toEqual([
      ['a eq 1', 'r1 gte 250'],
      ['a eq 1', 'r2 eq "p"'],
    ]);
    expect(groups({}, [], { r1: { eq: 1 } })).toEqual([['r1 eq 1']]);
  });

  it('gives an empty filterGroup for an empty filter and null for a non-object', () => {
    expect(toSubscriptionFilter({})).toEqual({ filterGroup: [] });
    expect(toSubscriptionFilter({ a: {} })).toEqual({ filterGroup: [] });
    expect(toSubscriptionFilter({ and: [] })).toEqual({ filterGroup: [] });
    for (const filter of [null, undefined, [], '{"a":{"eq":1}}']) expect(toSubscriptionFilter(filter)).toBeNull();
  });

  it('is available to handlers as an object, not a string', () => {
    expect(value('util.transform.toSubscriptionFilter({ owner: { eq: "me" } })')).toEqual({ filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'me' }] }] });
  });
});
