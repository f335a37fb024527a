import {
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLAbstractType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { AppSyncError } from '../graphql/errors.ts';
import type { Selection, SelectedField } from './selection.ts';

/** What a subscriber receives in `payload`: `{ data }`, plus `errors` when non-null fields were missing. */
export interface SubscriptionPayload {
  data: Record<string, unknown> | null;
  errors?: AppSyncError[];
}

export type Projection = (published: unknown) => SubscriptionPayload;

/** Marks a position that must become null because a non-null value below it is missing. */
const BUBBLE: unique symbol = Symbol('null propagates to the nearest nullable parent');

type Path = { prev: Path | undefined; key: string | number } | undefined;
type Completer = (value: unknown, path: Path, errors: AppSyncError[]) => unknown;

/**
 * AppSync's payload rule (DOC-DATA): the subscriber's selection set projected onto the data
 * the mutation returned, which is already shaped by the mutation's own selection set. No
 * resolver runs again. A field the mutation did not select is null, or — when the schema says
 * non-null — an error with GraphQL null propagation to the nearest nullable parent, as
 * graphql-js execution would do (the exact error text AppSync uses is UNVERIFIED; this is
 * graphql-js's). Aliases name the output, `__typename` is filled from the schema type.
 * Compiled once per normalized selection set and reused for every publication.
 */
export function compileProjection(schema: GraphQLSchema, root: SelectedField, rootType: GraphQLOutputType): Projection {
  const subscriptionType = schema.getSubscriptionType()!.name;
  const complete = completerFor(schema, rootType, `${subscriptionType}.${root.fieldName}`, root.selections ?? []);
  return (published) => {
    const errors: AppSyncError[] = [];
    const value = complete(published, { prev: undefined, key: root.responseName }, errors);
    const data = value === BUBBLE ? null : { [root.responseName]: value };
    return errors.length > 0 ? { data, errors } : { data };
  };
}

function completerFor(schema: GraphQLSchema, type: GraphQLOutputType, coordinate: string, selections: Selection[]): Completer {
  if (isNonNullType(type)) {
    // The raw completer: a violation below must reach this position as BUBBLE, not as null, or it would be reported twice.
    const inner = rawCompleterFor(schema, type.ofType, coordinate, selections);
    return (value, path, errors) => {
      const result = inner(value, path, errors);
      if (result === BUBBLE) return BUBBLE;
      if (result === null) {
        errors.push(fieldError(`Cannot return null for non-nullable field ${coordinate}.`, path));
        return BUBBLE;
      }
      return result;
    };
  }
  const raw = rawCompleterFor(schema, type, coordinate, selections);
  // A nullable position absorbs a violation below it.
  return (value, path, errors) => {
    const result = raw(value, path, errors);
    return result === BUBBLE ? null : result;
  };
}

function rawCompleterFor(schema: GraphQLSchema, type: GraphQLOutputType, coordinate: string, selections: Selection[]): Completer {
  if (isListType(type)) {
    const item = completerFor(schema, type.ofType, coordinate, selections);
    return (value, path, errors) => {
      if (value === null || value === undefined) return null;
      if (!Array.isArray(value)) {
        errors.push(fieldError(`Expected a list for field ${coordinate}, got ${typeof value}.`, path));
        return BUBBLE;
      }
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const result = item(value[i], { prev: path, key: i }, errors);
        if (result === BUBBLE) return BUBBLE;
        out[i] = result;
      }
      return out;
    };
  }
  if (isLeafType(type)) {
    // Already serialized when the mutation's response was produced.
    return (value) => (value === undefined ? null : value);
  }
  if (isObjectType(type)) return objectCompleter(schema, type, selections);
  return abstractCompleter(schema, type as GraphQLAbstractType, coordinate, selections);
}

function objectCompleter(schema: GraphQLSchema, type: GraphQLObjectType, selections: Selection[]): Completer {
  const fieldDefs = type.getFields();
  const plan = collectFields(schema, type, selections).map(({ responseName, fieldName, selections: sub }) => {
    if (fieldName === '__typename') return { responseName, fieldName, complete: (() => type.name) as Completer };
    const fieldDef = fieldDefs[fieldName];
    if (!fieldDef) throw new Error(`${type.name} has no field ${fieldName}; the selection set was not validated against this schema`);
    return { responseName, fieldName, complete: completerFor(schema, fieldDef.type, `${type.name}.${fieldName}`, sub) };
  });
  return (value, path, errors) => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(fieldError(`Expected an object of type ${type.name}, got ${Array.isArray(value) ? 'a list' : typeof value}.`, path));
      return BUBBLE;
    }
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of plan) {
      const result = field.complete(Object.hasOwn(source, field.fieldName) ? source[field.fieldName] : undefined, { prev: path, key: field.responseName }, errors);
      if (result === BUBBLE) return BUBBLE;
      out[field.responseName] = result;
    }
    return out;
  };
}

/**
 * An interface or union value: its object type comes from the `__typename` the mutation
 * selected. Without it there is no way to tell [INFER: AppSync's behaviour here is unknown].
 */
function abstractCompleter(schema: GraphQLSchema, type: GraphQLAbstractType, coordinate: string, selections: Selection[]): Completer {
  const byType = new Map<string, Completer>();
  return (value, path, errors) => {
    if (value === null || value === undefined) return null;
    const typeName = (value as Record<string, unknown>).__typename;
    const runtimeType = typeof typeName === 'string' ? schema.getType(typeName) : undefined;
    if (!isObjectType(runtimeType) || !schema.isSubType(type, runtimeType)) {
      errors.push(fieldError(`Cannot tell the runtime type of ${type.name} for field ${coordinate}: the published value has no valid __typename (the mutation must select it).`, path));
      return BUBBLE;
    }
    let complete = byType.get(runtimeType.name);
    if (!complete) {
      complete = objectCompleter(schema, runtimeType, selections);
      byType.set(runtimeType.name, complete);
    }
    return complete(value, path, errors);
  };
}

/** The fields that apply to an object type, merged by response name as GraphQL execution merges them. */
function collectFields(schema: GraphQLSchema, type: GraphQLObjectType, selections: Selection[]): { responseName: string; fieldName: string; selections: Selection[] }[] {
  const fields = new Map<string, { responseName: string; fieldName: string; selections: Selection[] }>();
  const visit = (list: Selection[]) => {
    for (const selection of list) {
      if (selection.kind === 'on') {
        const condition = schema.getType(selection.typeCondition);
        const applies = condition === type || (isAbstractType(condition) && schema.isSubType(condition, type));
        if (applies) visit(selection.selections);
        continue;
      }
      const existing = fields.get(selection.responseName);
      if (existing) existing.selections.push(...(selection.selections ?? []));
      else fields.set(selection.responseName, { responseName: selection.responseName, fieldName: selection.fieldName, selections: [...(selection.selections ?? [])] });
    }
  };
  visit(selections);
  return [...fields.values()];
}

function fieldError(message: string, path: Path): AppSyncError {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.prev) keys.unshift(p.key);
  return { path: keys, data: null, errorType: null, errorInfo: null, locations: [], message };
}
