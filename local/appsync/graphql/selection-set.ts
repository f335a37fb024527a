import { Kind, print, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * `ctx.info.selectionSetList` as AppSync builds it: every selected field path below the
 * resolved field, `/`-separated, under its alias when aliased, fragments expanded.
 */
export function selectionSetList(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): readonly string[] {
  // Parsed documents are cached (execute.ts), so a field's node recurs with every request that
  // sends the same document; two or more nodes (a field selected twice) can depend on the
  // variables through @skip/@include, so those are walked each time.
  const only = fieldNodes.length === 1 ? fieldNodes[0]! : undefined;
  const known = only && listsByField.get(only);
  if (known) return known;
  const paths = walkSelectionSets(fieldNodes, fragments);
  if (only) listsByField.set(only, Object.freeze(paths));
  return paths;
}

const listsByField = new WeakMap<FieldNode, readonly string[]>();

function walkSelectionSets(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): string[] {
  const paths: string[] = [];
  const walk = (selectionSet: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const path = prefix + (selection.alias ?? selection.name).value;
        if (!paths.includes(path)) paths.push(path);
        walk(selection.selectionSet, `${path}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      } else {
        walk(fragments[selection.name.value]?.selectionSet, prefix);
      }
    }
  };
  for (const node of fieldNodes) walk(node.selectionSet, '');
  return paths;
}

/**
 * `ctx.info.selectionSetGraphQL`: the field's selection set as GraphQL text, named
 * fragments left as spreads. UNVERIFIED: the exact whitespace AppSync prints.
 */
export function selectionSetGraphQL(fieldNodes: readonly FieldNode[]): string {
  const selectionSet = fieldNodes[0]?.selectionSet;
  if (!selectionSet) return '';
  let printed = printedSelectionSets.get(selectionSet);
  if (printed === undefined) printedSelectionSets.set(selectionSet, (printed = print(selectionSet)));
  return printed;
}

/** Printed once per node of a cached document (see selectionSetList). */
const printedSelectionSets = new WeakMap<SelectionSetNode, string>();

/**
 * A mutation result keyed by field names instead of response names (aliases), which is
 * the form subscription filters and selection sets are matched against.
 */
export function unaliased(value: unknown, selectionSet: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>): unknown {
  if (!selectionSet || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => unaliased(item, selectionSet, fragments));
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const key = (selection.alias ?? selection.name).value;
        if (Object.hasOwn(source, key) && !Object.hasOwn(out, selection.name.value)) {
          out[selection.name.value] = unaliased(source[key], selection.selectionSet, fragments);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        visit(fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  visit(selectionSet);
  return out;
}

/**
 * A value filtered by a field's selection set, keyed by response names: what AppSync does to
 * the `data` of `util.error` / `util.appendError` (its `errorInfo` is left as it is).
 */
export function selected(value: unknown, fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): unknown {
  const project = (item: unknown, selectionSets: (SelectionSetNode | undefined)[]): unknown => {
    if (item === null || typeof item !== 'object' || selectionSets.every((s) => !s)) return item;
    if (Array.isArray(item)) return item.map((element) => project(element, selectionSets));
    const source = item as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const visit = (set: SelectionSetNode | undefined) => {
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          const key = (selection.alias ?? selection.name).value;
          if (Object.hasOwn(source, selection.name.value) && !Object.hasOwn(out, key)) out[key] = project(source[selection.name.value], [selection.selectionSet]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          visit(selection.selectionSet);
        } else {
          visit(fragments[selection.name.value]?.selectionSet);
        }
      }
    };
    for (const set of selectionSets) visit(set);
    return out;
  };
  return project(value, fieldNodes.map((node) => node.selectionSet));
}
