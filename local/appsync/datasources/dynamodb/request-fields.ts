import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { malformedRequest, missingField, notRunLocally } from '../errors.ts';
import { describe, toAttributeMap } from './typed-values.ts';

/** Readers for the fields of a request object, with AppSync-like errors naming the field. */
export type RequestObject = Record<string, unknown>;

export function asRequestObject(value: unknown, path: string): RequestObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw malformedRequest(`${path} must be an object; got ${describe(value)}`);
  return value as RequestObject;
}

export function requiredKey(request: RequestObject, field: string, path = field): Record<string, AttributeValue> {
  const key = request[field];
  if (key === undefined || key === null) throw missingField(path);
  const map = toAttributeMap(key, `$.${path}`);
  if (Object.keys(map).length === 0) throw malformedRequest(`${path} must name the item's key attributes; it is empty`);
  return map;
}

export function optionalItem(request: RequestObject, field: string, path = field): Record<string, AttributeValue> {
  const value = request[field];
  return value === undefined || value === null ? {} : toAttributeMap(value, `$.${path}`);
}

export function optionalBoolean(request: RequestObject, field: string, path = field): boolean | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw malformedRequest(`${path} must be true or false; got ${describe(value)}`);
  return value;
}

export function optionalString(request: RequestObject, field: string, path = field): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformedRequest(`${path} must be a string; got ${describe(value)}`);
  return value;
}

export function optionalCount(request: RequestObject, field: string, path = field, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw malformedRequest(`${path} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}; got ${describe(value)}`);
  }
  return value;
}

export function optionalChoice<T extends string>(request: RequestObject, field: string, choices: readonly T[], path = field): T | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) throw malformedRequest(`${path} must be one of ${choices.join(', ')}; got ${describe(value)}`);
  return value as T;
}

export function requiredList(request: RequestObject, field: string, path = field): unknown[] {
  const value = request[field];
  if (value === undefined || value === null) throw missingField(path);
  if (!Array.isArray(value)) throw malformedRequest(`${path} must be a list; got ${describe(value)}`);
  return value;
}

/** Conflict detection (versioned data sources) needs AppSync's delta tables, which do not exist locally. */
export function refuseVersioningFields(request: RequestObject, operation: string): void {
  for (const field of ['_version', 'customPartitionKey', 'populateIndexFields']) {
    if (request[field] !== undefined && request[field] !== null) {
      throw notRunLocally(`${operation}: ${field} belongs to conflict detection on versioned data sources, which the local runtime does not run`);
    }
  }
}
