// util.transform.toElasticsearchQueryDSL (D-XF): a filter object as an OpenSearch Query DSL
// JSON string. The shapes follow the documented example (D-XF, NPM-U transform-utils.d.ts):
// `eq` → term, `ne` → bool.must_not.term, `range` → range gte/lte, one field's operators and
// several fields → bool.must (a single clause is not wrapped). The rest is UNVERIFIED and
// follows the same scheme: gt/gte/lt/lte → range, match/matchPhrase/matchPhrasePrefix/
// multiMatch/wildcard/regexp → the DSL query of that name, exists → exists (false: must_not),
// and → bool.must, or → bool.should with minimum_should_match 1, not → bool.must_not.
import { argumentError, describe } from '../arguments.ts';
import { isPlainObject } from '../../../../support/objects.ts';

const MEMBER = 'util.transform.toElasticsearchQueryDSL';
const QUERY_NAMES: Record<string, string> = {
  match: 'match',
  matchPhrase: 'match_phrase',
  matchPhrasePrefix: 'match_phrase_prefix',
  multiMatch: 'multi_match',
  wildcard: 'wildcard',
  regexp: 'regexp',
};

type Query = Record<string, unknown>;

function all(clauses: Query[]): Query {
  return clauses.length === 1 ? clauses[0]! : { bool: { must: clauses } };
}

function fieldQueries(field: string, operators: unknown): Query[] {
  if (!isPlainObject(operators)) throw argumentError(MEMBER, `the conditions of "${field}" must be an object such as {"eq": …}, not ${describe(operators)}`);
  return Object.entries(operators).map(([op, value]): Query => {
    switch (op) {
      case 'eq':
        return { term: { [field]: value } };
      case 'ne':
        return { bool: { must_not: { term: { [field]: value } } } };
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return { range: { [field]: { [op]: value } } };
      case 'range':
        if (!Array.isArray(value) || value.length < 2) throw argumentError(MEMBER, `"range" of "${field}" must be [from, to]`);
        return { range: { [field]: { gte: value[0], lte: value[1] } } };
      case 'exists':
        if (typeof value !== 'boolean') throw argumentError(MEMBER, `"exists" of "${field}" must be true or false`);
        return value ? { exists: { field } } : { bool: { must_not: { exists: { field } } } };
      default:
        if (QUERY_NAMES[op]) return { [QUERY_NAMES[op]]: { [field]: value } };
        throw argumentError(MEMBER, `unknown operator "${op}" on "${field}"`);
    }
  });
}

function clauses(filter: unknown): Query[] {
  if (!isPlainObject(filter)) throw argumentError(MEMBER, `expected a filter object, not ${describe(filter)}`);
  return Object.entries(filter).map(([key, value]) => {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw argumentError(MEMBER, `"${key}" must be a list of filter objects`);
      const members = value.map((member) => all(clauses(member)));
      return key === 'and' ? { bool: { must: members } } : { bool: { should: members, minimum_should_match: 1 } };
    }
    if (key === 'not') return { bool: { must_not: all(clauses(value)) } };
    return all(fieldQueries(key, value));
  });
}

export function toElasticsearchQueryDSL(filter: unknown): string {
  const parts = clauses(filter);
  if (parts.length === 0) throw argumentError(MEMBER, 'the filter object is empty');
  return JSON.stringify(all(parts));
}
