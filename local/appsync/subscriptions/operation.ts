import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectRootFields, normalizeSelectionSet, type SelectedField } from './selection.ts';
import { BoundedCache } from '../../support/bounded-cache.ts';

export type PreparedSubscription =
  | {
      ok: true;
      document: DocumentNode;
      fieldName: string;
      fieldDef: GraphQLField<unknown, unknown>;
      /** The subscribed field with its normalized selection set, under its response name. */
      root: SelectedField;
      /** Coerced arguments; an omitted argument is absent, an explicit `null` is present. */
      args: Record<string, unknown>;
      /** A string equal for every subscriber whose payloads would be identical. */
      selectionKey: string;
    }
  /** A query or mutation sent to the real-time endpoint. */
  | { ok: false; kind: 'unsupported'; operation: string }
  /** Syntax, validation, operation selection or variable coercion errors. */
  | { ok: false; kind: 'invalid'; errors: readonly GraphQLError[] };

const MAX_CACHED_DOCUMENTS = 1000;

/**
 * Turns the `{ query, variables }` of a `start` into a subscription the registry can hold:
 * parsed and validated against the schema (graphql-js `validate`, which also enforces a single
 * root field), variables coerced, root field and arguments resolved. Documents are cached by
 * text, because clients re-send the same few subscriptions on every reconnect.
 */
export function createSubscriptionPreparer(schema: GraphQLSchema) {
  const documents = new BoundedCache<string, CheckedDocument>(MAX_CACHED_DOCUMENTS);
  const checkedDocument = (query: string) => documents.getOrCreate(query, () => check(schema, query));

  return function prepare(query: string, variables: Record<string, unknown>, operationName?: string): PreparedSubscription {
    const checked = checkedDocument(query);
    if (!checked.ok) {
      // A parsable query or mutation is refused for what it is, before its validation errors.
      return checked.operation && checked.operation !== 'subscription'
        ? { ok: false, kind: 'unsupported', operation: checked.operation }
        : { ok: false, kind: 'invalid', errors: checked.errors };
    }
    const { document } = checked;
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operationName !== undefined ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
    if (!operation) {
      const message = operationName !== undefined ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
      return { ok: false, kind: 'invalid', errors: [new GraphQLError(message)] };
    }
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) return { ok: false, kind: 'unsupported', operation: operation.operation };

    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { ok: false, kind: 'invalid', errors: coerced.errors };
    const { variableValues } = coerced;

    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    const fieldNodes = collectRootFields(operation.selectionSet, fragments, variableValues);
    const responseNames = new Set(fieldNodes.map((node) => (node.alias ?? node.name).value));
    if (responseNames.size !== 1) {
      const message =
        responseNames.size === 0 ? 'The subscription selects no root field (all were skipped).' : `Subscription "${operation.name?.value ?? 'anonymous'}" must select only one top level field.`;
      return { ok: false, kind: 'invalid', errors: [new GraphQLError(message, { nodes: operation })] };
    }
    const fieldNode = fieldNodes[0]!;
    const fieldName = fieldNode.name.value;
    const fieldDef = schema.getSubscriptionType()!.getFields()[fieldName]!;

    let args: Record<string, unknown>;
    try {
      args = { ...getArgumentValues(fieldDef, fieldNode, variableValues) };
    } catch (error) {
      return { ok: false, kind: 'invalid', errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }

    const returnType = getNamedType(fieldDef.type);
    const root: SelectedField = {
      kind: 'field',
      responseName: (fieldNode.alias ?? fieldNode.name).value,
      fieldName,
      selections: isCompositeType(returnType) ? normalizeSelectionSet(schema, returnType, fieldNodes.map((node) => node.selectionSet), fragments, variableValues) : null,
    };
    return { ok: true, document, fieldName, fieldDef, root, args, selectionKey: JSON.stringify(root) };
  };
}

type CheckedDocument =
  | { ok: true; document: DocumentNode }
  | { ok: false; errors: readonly GraphQLError[]; /** the keyword of a lone operation, when the text parses */ operation?: string };

function check(schema: GraphQLSchema, query: string): CheckedDocument {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { ok: false, errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
  }
  const errors = validate(schema, document);
  if (errors.length === 0) return { ok: true, document };
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return { ok: false, errors, ...(operations.length === 1 && { operation: operations[0]!.operation }) };
}

export type SubscriptionPreparer = ReturnType<typeof createSubscriptionPreparer>;
