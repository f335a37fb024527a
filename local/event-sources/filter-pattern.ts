/**
 * Lambda's event filtering (FilterCriteria) for stream records: the EventBridge pattern syntax
 * as Lambda supports it. A pattern is an object whose leaves are arrays of conditions; a record
 * matches when every key of the pattern matches (AND) and, at a leaf, any condition matches
 * (OR). Several patterns of one mapping are ORed. Where the record holds an array, a condition
 * matches when it matches any element.
 *
 * Conditions: a string, number, boolean or null (equality); `{prefix}`, `{suffix}`,
 * `{equals-ignore-case}`, `{exists: true|false}`, `{numeric: [op, n, (op, n)]}`,
 * `{anything-but: value | [values] | {prefix} | {suffix} | {equals-ignore-case}}`, and `$or`.
 * Anything else (`cidr`, `wildcard`, ...) is refused when the mapping starts.
 */

import { isPlainObject } from '../support/objects.ts';

type Condition =
  | { kind: 'equals'; value: string | number | boolean | null }
  | { kind: 'prefix' | 'suffix' | 'equals-ignore-case'; value: string }
  | { kind: 'exists'; value: boolean }
  | { kind: 'numeric'; bounds: { op: string; value: number }[] }
  | { kind: 'anything-but'; values?: (string | number)[]; prefix?: string; suffix?: string; ignoreCase?: string };

type Node = { fields: Map<string, Node | Condition[]>; any: Node[][] };

export type CompiledFilter = (record: unknown) => boolean;

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

/** Compiles the mapping's patterns; an unsupported or malformed pattern throws, naming the path. */
export function compileFilters(patterns: unknown[], where: string): CompiledFilter | undefined {
  if (patterns.length === 0) return undefined;
  const compiled = patterns.map((pattern, i) => compileNode(pattern, `${where} FilterCriteria.Filters[${i}]`));
  return (record) => compiled.some((node) => matchesNode(node, record));
}

function compileNode(pattern: unknown, path: string): Node {
  if (!isPlainObject(pattern)) throw new FilterPatternError(path, 'a pattern must be a JSON object');
  const node: Node = { fields: new Map(), any: [] };
  for (const [key, value] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new FilterPatternError(at, '$or takes an array of at least two patterns');
      node.any.push(value.map((alternative, i) => compileNode(alternative, `${at}[${i}]`)));
    } else if (Array.isArray(value)) {
      node.fields.set(key, value.map((condition, i) => compileCondition(condition, `${at}[${i}]`)));
    } else if (isPlainObject(value)) {
      node.fields.set(key, compileNode(value, at));
    } else {
      throw new FilterPatternError(at, `a leaf must be an array of conditions, found ${JSON.stringify(value)}`);
    }
  }
  return node;
}

function compileCondition(condition: unknown, path: string): Condition {
  if (condition === null || typeof condition === 'string' || typeof condition === 'number' || typeof condition === 'boolean') return { kind: 'equals', value: condition };
  if (!isPlainObject(condition)) throw new FilterPatternError(path, `unsupported condition ${JSON.stringify(condition)}`);
  const entries = Object.entries(condition);
  if (entries.length !== 1) throw new FilterPatternError(path, `a condition object has exactly one operator, found ${JSON.stringify(condition)}`);
  const [operator, operand] = entries[0]!;
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new FilterPatternError(path, `${operator} takes a string`);
      return { kind: operator, value: operand };
    case 'exists':
      if (typeof operand !== 'boolean') throw new FilterPatternError(path, 'exists takes true or false');
      return { kind: 'exists', value: operand };
    case 'numeric':
      return { kind: 'numeric', bounds: numericBounds(operand, path) };
    case 'anything-but':
      return anythingBut(operand, path);
    default:
      throw new FilterPatternError(path, `operator ${JSON.stringify(operator)} is not supported by the local runtime (supported: prefix, suffix, equals-ignore-case, exists, numeric, anything-but, $or, and plain values)`);
  }
}

function numericBounds(operand: unknown, path: string): { op: string; value: number }[] {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) throw new FilterPatternError(path, 'numeric takes [op, number] or [op, number, op, number]');
  const bounds: { op: string; value: number }[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const value = operand[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op) || typeof value !== 'number') {
      throw new FilterPatternError(path, `numeric takes operators ${[...NUMERIC_OPS].join(' ')} each followed by a number, found ${JSON.stringify(operand)}`);
    }
    bounds.push({ op, value });
  }
  if (bounds.length === 2 && !(bounds[0]!.op.startsWith('>') && bounds[1]!.op.startsWith('<'))) {
    throw new FilterPatternError(path, 'a numeric range is a lower bound (> or >=) then an upper bound (< or <=)');
  }
  return bounds;
}

function anythingBut(operand: unknown, path: string): Condition {
  if (typeof operand === 'string' || typeof operand === 'number') return { kind: 'anything-but', values: [operand] };
  if (Array.isArray(operand) && operand.length > 0 && operand.every((v) => typeof v === 'string' || typeof v === 'number')) return { kind: 'anything-but', values: operand };
  if (isPlainObject(operand)) {
    const entries = Object.entries(operand);
    const [operator, value] = entries[0] ?? [];
    if (entries.length === 1 && typeof value === 'string') {
      if (operator === 'prefix') return { kind: 'anything-but', prefix: value };
      if (operator === 'suffix') return { kind: 'anything-but', suffix: value };
      if (operator === 'equals-ignore-case') return { kind: 'anything-but', ignoreCase: value };
    }
  }
  throw new FilterPatternError(path, `anything-but takes a value, a list of values or {prefix|suffix|equals-ignore-case: string}; found ${JSON.stringify(operand)}`);
}

export class FilterPatternError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'FilterPatternError';
  }
}

function matchesNode(node: Node, value: unknown): boolean {
  for (const [key, rule] of node.fields) {
    const present = isPlainObject(value) && Object.hasOwn(value, key);
    const field = present ? (value as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) {
      if (!rule.some((condition) => matchesCondition(condition, present, field))) return false;
    } else if (!(present ? someValue(field, (v) => matchesNode(rule, v)) : matchesNode(rule, undefined))) {
      // Under a missing object every field is missing: only `exists: false` can match there.
      return false;
    }
  }
  return node.any.every((alternatives) => alternatives.some((alternative) => matchesNode(alternative, value)));
}

function matchesCondition(condition: Condition, present: boolean, field: unknown): boolean {
  if (condition.kind === 'exists') {
    // A field "exists" when it holds a leaf value: an object (or empty array) is not one.
    const leaf = present && someValue(field, (v) => !isPlainObject(v));
    return condition.value ? leaf : !leaf;
  }
  if (!present) return false;
  return someValue(field, (v) => matchesLeaf(condition, v));
}

function matchesLeaf(condition: Exclude<Condition, { kind: 'exists' }>, value: unknown): boolean {
  switch (condition.kind) {
    case 'equals':
      return value === condition.value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(condition.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(condition.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === condition.value.toLowerCase();
    case 'numeric':
      return typeof value === 'number' && condition.bounds.every(({ op, value: bound }) => compare(value, op, bound));
    case 'anything-but':
      if (condition.values) return (typeof value === 'string' || typeof value === 'number') && !condition.values.includes(value);
      if (typeof value !== 'string') return false;
      if (condition.prefix !== undefined) return !value.startsWith(condition.prefix);
      if (condition.suffix !== undefined) return !value.endsWith(condition.suffix);
      return value.toLowerCase() !== condition.ignoreCase!.toLowerCase();
  }
}

function compare(value: number, op: string, bound: number): boolean {
  switch (op) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    default:
      return value >= bound;
  }
}

function someValue(value: unknown, test: (v: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(test) : test(value);
}
