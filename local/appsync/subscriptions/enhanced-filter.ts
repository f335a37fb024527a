import { isPlainObject } from '../../support/objects.ts';
import { canonicalJson, jsonEqual } from './values.ts';

/**
 * Enhanced subscription filters (DOC-EF, DOC-EXT): `{ filterGroup: [{ filters: [{ fieldName,
 * operator, value }] }] }` set by a subscription resolver with `extensions.setSubscriptionFilter`
 * (and, in the same format, `setSubscriptionInvalidationFilter`). Rules of one group are ANDed,
 * groups are ORed. The limits are checked when the subscription starts, with the messages
 * AppSync is known to send (docs/reference/appsync-realtime.md §2.4/§3.5); where the message text is not known in
 * full, the comment on the message says so.
 */

export interface CompiledFilter {
  /** Equal for filters that accept exactly the same data: subscribers share a fan-out group. */
  key: string;
  matches(data: unknown): boolean;
}

export type FilterCompilation =
  | { ok: true; filter: CompiledFilter; /** rules dropped for nesting deeper than 5 levels */ ignoredFields: string[] }
  | { ok: false; message: string };

export const FILTER_LIMITS = { groups: 10, rulesPerGroup: 5, inValues: 5, containsAnyValues: 20, fieldNameDepth: 5, fieldNameLength: 256 } as const;

export const FILTER_MESSAGES = {
  tooManyGroups: `Filters combination exceed maximum limit ${FILTER_LIMITS.groups} for subscription.`,
  // "Filters exceed maximum attributes limit" is verified (amplify-swift RTFError); the rest of the sentence is UNVERIFIED.
  tooManyRules: `Filters exceed maximum attributes limit ${FILTER_LIMITS.rulesPerGroup} for subscription.`,
  repeatedFieldName: 'subscription filter uses same fieldName multiple time',
  // The service's text for these three is UNVERIFIED (docs/reference/appsync-realtime.md §2.4: "…operator `in`… exceeds maximum value limit…").
  tooManyValues: (operator: string, limit: number) => `Filter operator \`${operator}\` exceeds maximum value limit ${limit} for subscription.`,
  fieldNameTooLong: `Filter fieldName exceeds maximum length ${FILTER_LIMITS.fieldNameLength} for subscription.`,
} as const;

type Scalar = string | number | boolean | null;
type Operator = (field: unknown, value: any) => boolean;

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isOrderable = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';
const comparable = (a: unknown, b: unknown) => isOrderable(a) && typeof a === typeof b;

const equals: Operator = (field, value) => jsonEqual(field === undefined ? null : field, value);
const contains: Operator = (field, value) => (typeof field === 'string' && typeof value === 'string' ? field.includes(value) : Array.isArray(field) && field.some((item) => jsonEqual(item, value)));
const inList: Operator = (field, values: Scalar[]) => values.some((value) => equals(field, value));

/**
 * The 13 operators (docs/reference/appsync-realtime.md §3.5). An absent field is compared as null [INFER]; ordering needs
 * a number or string on both sides; `between` is inclusive [INFER, docs/reference/appsync-realtime.md §6].
 */
/** A value problem: what the operator needs (a detail), or one of AppSync's limit messages. */
type ValueProblem = string | { limitMessage: string } | undefined;

const OPERATORS: Record<string, { check(value: unknown): ValueProblem; test: Operator }> = {
  eq: { check: (v) => (isScalar(v) ? undefined : 'a string, number, boolean or null'), test: equals },
  ne: { check: (v) => (isScalar(v) ? undefined : 'a string, number, boolean or null'), test: (f, v) => !equals(f, v) },
  le: { check: orderable, test: (f, v) => comparable(f, v) && (f as number) <= v },
  lt: { check: orderable, test: (f, v) => comparable(f, v) && (f as number) < v },
  ge: { check: orderable, test: (f, v) => comparable(f, v) && (f as number) >= v },
  gt: { check: orderable, test: (f, v) => comparable(f, v) && (f as number) > v },
  contains: { check: orderable, test: contains },
  notContains: { check: orderable, test: (f, v) => !contains(f, v) },
  beginsWith: { check: (v) => (typeof v === 'string' ? undefined : 'a string'), test: (f, v) => typeof f === 'string' && f.startsWith(v) },
  in: { check: (v) => scalarList(v, 'in', FILTER_LIMITS.inValues), test: inList },
  notIn: { check: (v) => scalarList(v, 'notIn', FILTER_LIMITS.inValues), test: (f, v) => !inList(f, v) },
  between: {
    check: (v) => (Array.isArray(v) && v.length === 2 && comparable(v[0], v[1]) ? undefined : 'a list of two numbers or two strings [low, high]'),
    test: (f, [low, high]) => comparable(f, low) && (f as number) >= low && (f as number) <= high,
  },
  containsAny: {
    check: (v) => scalarList(v, 'containsAny', FILTER_LIMITS.containsAnyValues),
    test: (f, values: Scalar[]) => Array.isArray(f) && f.some((item) => values.some((value) => jsonEqual(item, value))),
  },
};

function orderable(v: unknown): ValueProblem {
  return isOrderable(v) ? undefined : 'a number or a string';
}

function scalarList(v: unknown, operator: string, limit: number): ValueProblem {
  if (!Array.isArray(v) || !v.every(isScalar)) return 'a list of strings, numbers or booleans';
  if (v.length > limit) return { limitMessage: FILTER_MESSAGES.tooManyValues(operator, limit) };
  return undefined;
}

/** Marks a path that crosses a list: enhanced filters cannot look inside lists of objects (DOC-EF). */
const UNREACHABLE = Symbol('path crosses a list');

function reader(path: string[]): (data: unknown) => unknown {
  return (data) => {
    let value = data;
    for (const segment of path) {
      if (value === null || value === undefined) return undefined;
      if (Array.isArray(value)) return UNREACHABLE;
      if (typeof value !== 'object') return undefined;
      value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    }
    return value;
  };
}

export function compileFilter(input: unknown): FilterCompilation {
  const invalid = (detail: string): FilterCompilation => ({ ok: false, message: `Invalid subscription filter: ${detail}` });
  let filter = input;
  if (typeof filter === 'string') {
    try {
      filter = JSON.parse(filter);
    } catch {
      return invalid('not a JSON object');
    }
  }
  if (!isPlainObject(filter) || !Array.isArray(filter.filterGroup)) return invalid('expected { "filterGroup": [{ "filters": [{ "fieldName", "operator", "value" }] }] }');
  if (filter.filterGroup.length > FILTER_LIMITS.groups) return { ok: false, message: FILTER_MESSAGES.tooManyGroups };

  const ignoredFields: string[] = [];
  const normalized: { filters: { fieldName: string; operator: string; value: unknown }[] }[] = [];
  for (const [g, group] of filter.filterGroup.entries()) {
    if (!isPlainObject(group) || !Array.isArray(group.filters)) return invalid(`filterGroup[${g}] must be an object with a "filters" list`);
    if (group.filters.length > FILTER_LIMITS.rulesPerGroup) return { ok: false, message: FILTER_MESSAGES.tooManyRules };
    const seen = new Set<string>();
    const rules: (typeof normalized)[number]['filters'] = [];
    for (const [r, rule] of group.filters.entries()) {
      const where = `filterGroup[${g}].filters[${r}]`;
      if (!isPlainObject(rule) || typeof rule.fieldName !== 'string' || rule.fieldName === '') return invalid(`${where} needs a non-empty "fieldName"`);
      if (rule.fieldName.length > FILTER_LIMITS.fieldNameLength) return { ok: false, message: FILTER_MESSAGES.fieldNameTooLong };
      if (seen.has(rule.fieldName)) return { ok: false, message: FILTER_MESSAGES.repeatedFieldName };
      seen.add(rule.fieldName);
      const operator = typeof rule.operator === 'string' && Object.hasOwn(OPERATORS, rule.operator) ? OPERATORS[rule.operator] : undefined;
      // AppSync reportedly accepts an unknown operator and then matches everything or nothing
      // (docs/reference/appsync-realtime.md §3.5, third-party); refusing it at start surfaces the mistake instead.
      if (!operator) {
        return invalid(`${where}: unsupported operator ${JSON.stringify(rule.operator)}; use one of ${Object.keys(OPERATORS).join(', ')}`);
      }
      const problem = operator.check(rule.value);
      if (typeof problem === 'object') return { ok: false, message: problem.limitMessage };
      if (problem) return invalid(`${where}: operator ${rule.operator} needs ${problem}`);
      // DOC-EF: rules nested deeper than five levels are ignored.
      if (rule.fieldName.split('.').length > FILTER_LIMITS.fieldNameDepth) {
        ignoredFields.push(rule.fieldName);
        continue;
      }
      rules.push({ fieldName: rule.fieldName, operator: rule.operator as string, value: rule.value });
    }
    normalized.push({ filters: rules });
  }

  const groups = normalized.map(({ filters }) =>
    filters.map(({ fieldName, operator, value }) => {
      const read = reader(fieldName.split('.'));
      const test = OPERATORS[operator]!.test;
      return (data: unknown) => {
        const field = read(data);
        return field !== UNREACHABLE && test(field, value);
      };
    }),
  );
  // An empty filterGroup constrains nothing [INFER: AppSync's treatment is undocumented].
  const matches = groups.length === 0 ? () => true : (data: unknown) => groups.some((rules) => rules.every((rule) => rule(data)));
  return { ok: true, filter: { key: `enhanced:${canonicalJson(normalized)}`, matches }, ignoredFields };
}
