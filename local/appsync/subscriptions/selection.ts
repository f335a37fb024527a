import {
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isUnionType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  type VariableValues,
} from 'graphql';

/**
 * A subscriber's selection set reduced to what shapes its payload: fragments inlined, fields
 * merged by response name, `@skip`/`@include` decided with the subscriber's variables, field
 * arguments dropped (no resolver runs at delivery, so they cannot change the payload). Two
 * subscribers with equal normalized selections receive byte-identical payloads, which is what
 * lets fan-out render once for both.
 */
export type Selection = SelectedField | TypeConditionedSelections;

export interface SelectedField {
  kind: 'field';
  responseName: string;
  fieldName: string;
  selections: Selection[] | null;
}

export interface TypeConditionedSelections {
  kind: 'on';
  /** A type name; the selections apply when the value's runtime type is, or belongs to, it. */
  typeCondition: string;
  selections: Selection[];
}

export function normalizeSelectionSet(
  schema: GraphQLSchema,
  parentType: GraphQLCompositeType,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  fragments: Record<string, FragmentDefinitionNode>,
  variableValues: VariableValues,
): Selection[] {
  // Fields merged by response name in first-seen order (GraphQL's own merge), and fragments
  // flattened wherever their type condition is decided by the parent type already.
  const fields = new Map<string, { fieldName: string; selectionSets: SelectionSetNode[] }>();
  const order: (string | TypeConditionedSelections)[] = [];
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const node of selectionSet?.selections ?? []) {
      if (!isIncluded(node, variableValues)) continue;
      if (node.kind === Kind.FIELD) {
        const responseName = (node.alias ?? node.name).value;
        const existing = fields.get(responseName);
        if (existing) {
          if (node.selectionSet) existing.selectionSets.push(node.selectionSet);
        } else {
          fields.set(responseName, { fieldName: node.name.value, selectionSets: node.selectionSet ? [node.selectionSet] : [] });
          order.push(responseName);
        }
        continue;
      }
      const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : fragments[node.name.value];
      if (!fragment) continue; // validation has already refused unknown fragments
      const conditionName = fragment.typeCondition?.name.value;
      const condition = conditionName === undefined ? parentType : schema.getType(conditionName);
      if (condition === parentType || (isAbstractType(condition) && isObjectType(parentType) && schema.isSubType(condition, parentType))) {
        visit(fragment.selectionSet);
      } else if (!isObjectType(parentType) && isCompositeType(condition)) {
        // Decided only by the runtime type of an interface or union value.
        order.push({ kind: 'on', typeCondition: condition.name, selections: normalizeSelectionSet(schema, condition, [fragment.selectionSet], fragments, variableValues) });
      }
      // Otherwise the condition can never hold for this object type.
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);

  return order.map((entry): Selection => {
    if (typeof entry !== 'string') return entry;
    const { fieldName, selectionSets: sets } = fields.get(entry)!;
    const fieldType = fieldName === '__typename' || isUnionType(parentType) ? undefined : parentType.getFields()[fieldName]?.type;
    const childType = fieldType && getNamedType(fieldType);
    return {
      kind: 'field',
      responseName: entry,
      fieldName,
      selections: sets.length > 0 && isCompositeType(childType) ? normalizeSelectionSet(schema, childType, sets, fragments, variableValues) : null,
    };
  });
}

/** The root fields an operation selects, after `@skip`/`@include` and fragments, in order. */
export function collectRootFields(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variableValues: VariableValues,
): FieldNode[] {
  const fields: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined) => {
    for (const node of set?.selections ?? []) {
      if (!isIncluded(node, variableValues)) continue;
      if (node.kind === Kind.FIELD) fields.push(node);
      else if (node.kind === Kind.INLINE_FRAGMENT) visit(node.selectionSet);
      else visit(fragments[node.name.value]?.selectionSet);
    }
  };
  visit(selectionSet);
  return fields;
}

function isIncluded(node: Parameters<typeof getDirectiveValues>[1], variableValues: VariableValues): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variableValues)?.if !== false;
}
