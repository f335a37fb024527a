/**
 * Resolves CloudFormation intrinsic functions the way CloudFormation does at deploy time,
 * with the physical ids and attributes the local services gave each resource.
 */

export interface IntrinsicScope {
  /** `Ref` of a resource or parameter, or of a pseudo parameter (`AWS::Region`, ...). */
  ref(name: string, where: string): unknown;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string, where: string): unknown;
  conditions: Record<string, unknown>;
  mappings: Record<string, Record<string, Record<string, unknown>>>;
}

/** Marks a value removed by `AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

export function resolveIntrinsics(value: unknown, scope: IntrinsicScope, where: string): unknown {
  const resolved = resolveAny(value, scope, where);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveAny(value: unknown, scope: IntrinsicScope, where: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => resolveAny(item, scope, `${where}[${i}]`)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    if (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition') {
      return resolveFunction(key, arg, scope, `${where}.${key}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolveAny(item, scope, `${where}.${key}`);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function resolveFunction(name: string, arg: unknown, scope: IntrinsicScope, where: string): unknown {
  const r = (v: unknown, suffix = '') => resolveAny(v, scope, where + suffix);
  switch (name) {
    case 'Ref':
      if (arg === 'AWS::NoValue') return NO_VALUE;
      return scope.ref(expectString(arg, where), where);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : (arg as [string, unknown]);
      return scope.getAtt(expectString(logicalId, where), expectString(r(attribute), where), where);
    }
    case 'Fn::Join': {
      const [separator, items] = expectArray(arg, 2, where);
      return expectArray(r(items, '[1]'), undefined, where).map((item) => String(item)).join(expectString(separator, where));
    }
    case 'Fn::Sub':
      return substitute(arg, scope, where);
    case 'Fn::Select': {
      const [index, list] = expectArray(arg, 2, where);
      const items = expectArray(r(list, '[1]'), undefined, where);
      const i = Number(r(index, '[0]'));
      if (!Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new Error(`${where}: index ${i} is outside the list of ${items.length}`);
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [separator, source] = expectArray(arg, 2, where);
      return expectString(r(source, '[1]'), where).split(expectString(separator, where));
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = expectArray(arg, 3, where);
      return evaluateCondition(expectString(condition, where), scope, where) ? r(whenTrue, '[1]') : r(whenFalse, '[2]');
    }
    case 'Fn::Equals': {
      const [a, b] = expectArray(arg, 2, where);
      return JSON.stringify(r(a, '[0]')) === JSON.stringify(r(b, '[1]'));
    }
    case 'Fn::Not':
      return !toBoolean(r(expectArray(arg, 1, where)[0], '[0]'), scope, where);
    case 'Fn::And':
      return expectArray(arg, undefined, where).every((c, i) => toBoolean(r(c, `[${i}]`), scope, where));
    case 'Fn::Or':
      return expectArray(arg, undefined, where).some((c, i) => toBoolean(r(c, `[${i}]`), scope, where));
    case 'Condition':
      return evaluateCondition(expectString(arg, where), scope, where);
    case 'Fn::Base64':
      return Buffer.from(expectString(r(arg), where)).toString('base64');
    case 'Fn::FindInMap': {
      const [map, top, second] = expectArray(arg, 3, where).map((v, i) => expectString(r(v, `[${i}]`), where));
      const value = scope.mappings[map!]?.[top!]?.[second!];
      if (value === undefined) throw new Error(`${where}: mapping ${map}.${top}.${second} does not exist`);
      return value;
    }
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${String(scope.ref('AWS::Region', where))}${zone}`);
    default:
      throw new Error(`${where}: the intrinsic function ${name} is not supported by the local runtime`);
  }
}

function substitute(arg: unknown, scope: IntrinsicScope, where: string): string {
  const [template, variables] = typeof arg === 'string' ? [arg, {}] : (expectArray(arg, 2, where) as [unknown, Record<string, unknown>]);
  const vars = resolveAny(variables, scope, where) as Record<string, unknown>;
  return expectString(template, where).replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    if (Object.hasOwn(vars, name)) return String(vars[name]);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) {
      return String(scope.getAtt(name.slice(0, dot), name.slice(dot + 1), where));
    }
    return String(scope.ref(name, where));
  });
}

function evaluateCondition(name: string, scope: IntrinsicScope, where: string): boolean {
  if (!Object.hasOwn(scope.conditions, name)) throw new Error(`${where}: condition ${name} is not defined`);
  return toBoolean(resolveAny(scope.conditions[name], scope, `Conditions.${name}`), scope, where);
}

function toBoolean(value: unknown, _scope: IntrinsicScope, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`${where}: expected a condition (true or false), got ${JSON.stringify(value)}`);
}

function splitOnce(s: string, separator: string): [string, string] {
  const i = s.indexOf(separator);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function expectString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
}

function expectArray(value: unknown, length: number | undefined, where: string): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length < length)) {
    throw new Error(`${where}: expected a list${length ? ` of ${length}` : ''}, got ${JSON.stringify(value)}`);
  }
  return value;
}
