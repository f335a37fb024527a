import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { malformedRequest, missingField } from '../errors.ts';
import { describe, toAttributeMap } from './typed-values.ts';

/** `{expression, expressionNames?, expressionValues?}`: a key condition, filter, update, condition or projection. */
export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/**
 * Reads an expression object at `path` of the request. The docs pass
 * `util.transform.toDynamoDB*Expression(...)` output, a JSON string, straight in some examples
 * and parse it in others (docs/reference/appsync-js-runtime.md §6.2): we accept both, parsing strings (UNVERIFIED lenient
 * choice).
 */
export function readExpression(raw: unknown, path: string): Expression & { source: Record<string, unknown> } {
  const value = typeof raw === 'string' ? parseJson(raw, path) : raw;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformedRequest(`${path} must be an object with an expression; got ${describe(value)}`);
  const source = value as Record<string, unknown>;
  if (source.expression === undefined || source.expression === null) throw missingField(`${path}.expression`);
  if (typeof source.expression !== 'string') throw malformedRequest(`${path}.expression must be a string; got ${describe(source.expression)}`);
  const names = source.expressionNames ?? {};
  if (names === null || typeof names !== 'object' || Array.isArray(names) || Object.values(names).some((n) => typeof n !== 'string')) {
    throw malformedRequest(`${path}.expressionNames must map placeholders to attribute names; got ${describe(names)}`);
  }
  const values = source.expressionValues === undefined || source.expressionValues === null ? {} : toAttributeMap(source.expressionValues, `${path}.expressionValues`);
  return { expression: source.expression, names: names as Record<string, string>, values, source };
}

export function readOptionalExpression(raw: unknown, path: string): (Expression & { source: Record<string, unknown> }) | undefined {
  return raw === undefined || raw === null ? undefined : readExpression(raw, path);
}

/** One request's names and values from its parts; a placeholder used twice must mean the same. */
export function mergeExpressions(parts: (Expression | undefined)[], path: string): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  for (const part of parts) {
    if (!part) continue;
    for (const [placeholder, name] of Object.entries(part.names)) {
      if (placeholder in names && names[placeholder] !== name) throw malformedRequest(`${path}: expression name ${placeholder} means both ${names[placeholder]} and ${name}`);
      names[placeholder] = name;
    }
    for (const [placeholder, value] of Object.entries(part.values)) {
      if (placeholder in values && JSON.stringify(values[placeholder]) !== JSON.stringify(value)) throw malformedRequest(`${path}: expression value ${placeholder} is given two different values`);
      values[placeholder] = value;
    }
  }
  return {
    ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
    ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
  };
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw malformedRequest(`${path} is a string that is not JSON: ${describe(text)}`);
  }
}
