import { isPlainObject } from '../../../support/objects.ts';
// Argument checks shared by the util members. A bad argument raises an Error naming the member
// and what it expected; the runtime reports it like any exception in handler code
// (errorType `Code`, `code.js:L:C: Error: …`).

export function argumentError(member: string, problem: string): Error {
  return new Error(`${member}: ${problem}`);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export function requireString(member: string, value: unknown, name = 'its argument'): string {
  if (typeof value !== 'string') throw argumentError(member, `${name} must be a string, not ${describe(value)}`);
  return value;
}

export function requireNumber(member: string, value: unknown, name = 'its argument'): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw argumentError(member, `${name} must be a number, not ${describe(value)}`);
  return value;
}

export function requireObject(member: string, value: unknown, name = 'its argument'): Record<string, unknown> {
  if (!isPlainObject(value)) throw argumentError(member, `${name} must be an object, not ${describe(value)}`);
  return value;
}

export function requireArray(member: string, value: unknown, name = 'its argument'): unknown[] {
  if (!Array.isArray(value)) throw argumentError(member, `${name} must be an array, not ${describe(value)}`);
  return value;
}
