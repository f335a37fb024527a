// util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression (D-XF).
//
// Output is a JSON string `{"expression","expressionNames","expressionValues"}`. The rendering
// below reproduces AWS's recorded output: the two [AWS-verified] samples of the docs/reference/appsync-js-runtime.md (§4.4)
// and the fuller set of EvaluateCode recordings in localstack/appsync-utils
// `__tests__/__snapshots__/transform.test.js.snap` (recorded against AWS, but not listed as
// AWS-verified by docs/reference/appsync-js-runtime.md):
// - names `#<field>`, values `:<prefix…>_<field>_<op>` where the prefix carries every
//   enclosing `and_<i>` / `or_<i>` / `not`, and `size` adds `_size`;
// - one operator is `(<leaf>)`; several operators of a field, and an and/or of two or more
//   members, are wrapped in parentheses; fields of one object are joined by ` AND ` without
//   wrapping; an and/or of one member is not wrapped; `not` is `(NOT <inner>)`;
// - `contains`/`begins_with`/`attribute_type` have no space after the comma; `between` names
//   its bounds `_start`/`_end`; `in` is `(#f IN (:f_in_0, :f_in_1))`;
// - an empty member still takes part in a join (`(#a = :a_eq) AND `), and an empty `in`
//   renders `(null)`;
// - anything AWS cannot render (an unknown operator, a field holding a value, an `and` that is
//   not a list, a bad `between`/`in`/`attributeExists`/`attributeType`/`size`) gives null.
import { isPlainObject } from '../../../../support/objects.ts';
import { toDynamoDB, type TypedValue } from '../dynamodb.ts';

export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, TypedValue>;
}

class Unrenderable extends Error {}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FUNCTIONS: Record<string, string> = { contains: 'contains', notContains: 'NOT contains', beginsWith: 'begins_with' };
const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

/** The filter object as an expression, or null when AWS would not render it. */
export function renderDynamoDBExpression(filter: unknown): DynamoDBExpression | null {
  const out: DynamoDBExpression = { expression: '', expressionNames: {}, expressionValues: {} };
  try {
    out.expression = renderObject(filter, [], out);
  } catch (error) {
    if (error instanceof Unrenderable) return null;
    throw error;
  }
  return out;
}

export function toDynamoDBExpressionString(filter: unknown): string | null {
  const rendered = renderDynamoDBExpression(filter);
  return rendered && JSON.stringify(rendered);
}

function group(parts: string[], joiner: string, wrap: boolean): string {
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0]!;
  const joined = parts.join(` ${joiner} `);
  return wrap ? `(${joined})` : joined;
}

function renderObject(filter: unknown, prefix: string[], out: DynamoDBExpression): string {
  if (!isPlainObject(filter)) throw new Unrenderable();
  const terms = Object.entries(filter).map(([key, value]) => renderKey(key, value, prefix, out));
  return group(terms, 'AND', false);
}

function renderKey(key: string, value: unknown, prefix: string[], out: DynamoDBExpression): string {
  if (key === 'and' || key === 'or') {
    if (!Array.isArray(value)) throw new Unrenderable();
    const members = value.map((member, i) => {
      if (!isPlainObject(member)) throw new Unrenderable();
      return renderObject(member, [...prefix, key, String(i)], out);
    });
    return group(members, key.toUpperCase(), true);
  }
  if (key === 'not') {
    if (!isPlainObject(value)) throw new Unrenderable();
    return `(NOT ${renderObject(value, [...prefix, 'not'], out)})`;
  }
  if (!isPlainObject(value)) throw new Unrenderable();
  const name = `#${key}`;
  out.expressionNames[name] = key;
  const leaves = Object.entries(value).map(([op, operand]) => renderOperator(name, name, op, operand, [...prefix, key], out));
  return group(leaves, 'AND', true);
}

function renderOperator(name: string, target: string, op: string, operand: unknown, path: string[], out: DynamoDBExpression): string {
  const valueName = (...suffix: string[]) => `:${[...path, op, ...suffix].join('_')}`;
  const setValue = (placeholder: string, v: unknown) => {
    out.expressionValues[placeholder] = toDynamoDB(v === undefined ? null : v)!;
  };
  if (COMPARISONS[op]) {
    setValue(valueName(), operand);
    return `(${target} ${COMPARISONS[op]} ${valueName()})`;
  }
  if (FUNCTIONS[op]) {
    setValue(valueName(), operand);
    return `(${FUNCTIONS[op]}(${target},${valueName()}))`;
  }
  switch (op) {
    case 'between': {
      if (!Array.isArray(operand) || operand.length < 2) throw new Unrenderable();
      setValue(valueName('start'), operand[0]);
      setValue(valueName('end'), operand[1]);
      return `(${target} BETWEEN ${valueName('start')} AND ${valueName('end')})`;
    }
    case 'in': {
      if (!Array.isArray(operand)) throw new Unrenderable();
      if (operand.length === 0) return '(null)';
      const names = operand.map((v, i) => {
        setValue(valueName(String(i)), v);
        return valueName(String(i));
      });
      return `(${target} IN (${names.join(', ')}))`;
    }
    case 'attributeExists':
      if (typeof operand !== 'boolean') throw new Unrenderable();
      return `(${operand ? 'attribute_exists' : 'attribute_not_exists'}(${target}))`;
    case 'attributeType': {
      const code = typeof operand === 'string' ? ATTRIBUTE_TYPES[operand] : undefined;
      if (!code) throw new Unrenderable();
      setValue(valueName(), code);
      return `(attribute_type(${target},${valueName()}))`;
    }
    case 'size': {
      if (!isPlainObject(operand)) throw new Unrenderable();
      // A nested size names the value again but does not nest the call.
      const leaves = Object.entries(operand).map(([sub, v]) => renderOperator(name, `size(${name})`, sub, v, [...path, 'size'], out));
      return group(leaves, 'AND', true);
    }
  }
  throw new Unrenderable();
}
