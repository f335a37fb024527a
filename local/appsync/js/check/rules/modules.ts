// Imports and the members of the runtime's objects.
//
// - Only the four `@aws-appsync/utils*` paths can be imported (docs/reference/appsync-js-runtime.md §1.1): there is no
//   module loader, network or filesystem. Dynamic import(), import.meta, re-exports and default
//   imports have nothing to load.
// - A member of util, extensions, runtime or of an imported module that does not exist fails
//   AppSync's type check (docs/reference/appsync-js-runtime.md §2.3: `Property 'sync' does not exist on type …`; VTL-only
//   helpers such as util.toJson). The known members are the objects the runtime provides,
//   which implement exactly what @aws-appsync/utils declares. Names the package declares only
//   as types (Context, DynamoDBQueryRequest, …) may be imported; they have no run-time value.
import type { Rule, Scope } from 'eslint';
import type * as ESTree from 'estree';
import type ts from 'typescript';
import { runtimeModules, UTILS_MODULE } from '../../modules/index.ts';
import { typescript } from '../checker-packages.ts';

type Node = ESTree.Node & Rule.NodeParentExtension;

export const ALLOWED_MODULES = Object.keys(runtimeModules().byPath);

export const allowedImports: Rule.RuleModule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      module: "Cannot import '{{path}}': APPSYNC_JS provides only {{allowed}}. Bundle other code into the file.",
      dynamic: 'Dynamic import() is not supported: APPSYNC_JS has no module loader.',
      meta: 'import.meta is not supported.',
      reexport: 'Re-exporting from another module is not supported.',
      defaultImport: "Module '{{path}}' has no default export.",
      member: "Module '{{path}}' has no exported member '{{name}}'.",
    },
  },
  create(context) {
    const allowed = ALLOWED_MODULES.join(', ');
    const program = context.sourceCode.parserServices?.program as ts.Program | undefined;
    const declaredTypeOnly = (specifier: ESTree.ImportSpecifier): boolean => {
      const map = context.sourceCode.parserServices?.esTreeNodeToTSNodeMap as { get(node: unknown): ts.Node } | undefined;
      if (!program || !map) return false;
      const checker = program.getTypeChecker();
      const symbol = checker.getSymbolAtLocation((map.get(specifier) as ts.ImportSpecifier).name);
      if (!symbol) return false;
      const { SymbolFlags } = typescript();
      const target = symbol.flags & SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return target.flags !== SymbolFlags.None && !(target.flags & SymbolFlags.Value) && !!target.declarations?.length;
    };
    return {
      ImportDeclaration(node) {
        const path = String(node.source.value);
        const exports = runtimeModules().byPath[path];
        if (!exports) return context.report({ node: node.source, messageId: 'module', data: { path, allowed } });
        for (const specifier of node.specifiers) {
          if (specifier.type === 'ImportDefaultSpecifier') context.report({ node: specifier, messageId: 'defaultImport', data: { path } });
          if (specifier.type !== 'ImportSpecifier') continue;
          const name = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
          if (!Object.hasOwn(exports, name) && !declaredTypeOnly(specifier)) context.report({ node: specifier, messageId: 'member', data: { path, name } });
        }
      },
      ImportExpression: (node) => context.report({ node, messageId: 'dynamic' }),
      MetaProperty(node) {
        if (node.meta.name === 'import') context.report({ node, messageId: 'meta' });
      },
      ExportAllDeclaration: (node) => context.report({ node, messageId: 'reexport' }),
      ExportNamedDeclaration(node) {
        if (node.source) context.report({ node, messageId: 'reexport' });
      },
    };
  },
};

const OBJECT_MEMBERS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The value at a member path, or why there is none. */
function lookup(root: unknown, path: string[]): { missing?: string; at?: string } {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof value === 'function') return {};
    if (typeof value !== 'object' || value === null) return {};
    const name = path[i]!;
    if (!Object.hasOwn(value, name)) return OBJECT_MEMBERS.has(name) ? {} : { missing: name, at: path.slice(0, i).join('.') };
    value = (value as Record<string, unknown>)[name];
  }
  return {};
}

function propertyName(member: ESTree.MemberExpression): string | undefined {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  return undefined;
}

export const knownMembers: Rule.RuleModule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { missing: "Property '{{name}}' does not exist on '{{owner}}'." },
  },
  create(context) {
    const modules = runtimeModules();
    /** Variables that hold a runtime object: name of the object → the object. */
    const tracked = new Map<Scope.Variable, { label: string; value: unknown }>();

    const check = (node: ESTree.Node, label: string, value: unknown, path: string[]) => {
      const { missing, at } = lookup(value, path);
      if (missing !== undefined) context.report({ node, messageId: 'missing', data: { name: missing, owner: at ? `${label}.${at}` : label } });
    };

    /** Follows `x.a.b` upwards from an identifier, and destructuring `const {a: {b}} = x`. */
    const follow = (identifier: Node, label: string, value: unknown) => {
      const path: string[] = [];
      let node: Node = identifier;
      while (node.parent.type === 'MemberExpression' && node.parent.object === node) {
        const name = propertyName(node.parent);
        if (name === undefined) break;
        path.push(name);
        node = node.parent as Node;
        check((node as ESTree.MemberExpression).property, label, value, path);
        if (lookup(value, path).missing !== undefined) return;
      }
      if (node.parent.type === 'VariableDeclarator' && node.parent.init === node && node.parent.id.type === 'ObjectPattern') {
        destructure(node.parent.id, label, value, path);
      }
    };

    const destructure = (pattern: ESTree.ObjectPattern, label: string, value: unknown, path: string[]) => {
      for (const property of pattern.properties) {
        if (property.type !== 'Property' || property.computed) continue;
        const name = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'Literal' ? String(property.key.value) : undefined;
        if (name === undefined) continue;
        const next = [...path, name];
        check(property.key, label, value, next);
        const target = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
        if (target.type === 'ObjectPattern' && lookup(value, next).missing === undefined) destructure(target, label, value, next);
      }
    };

    return {
      ImportDeclaration(node) {
        const exports = modules.byPath[String(node.source.value)];
        if (!exports) return;
        for (const variable of context.sourceCode.getDeclaredVariables(node)) {
          const specifier = variable.defs[0]?.node as ESTree.ImportSpecifier | ESTree.ImportNamespaceSpecifier | undefined;
          if (!specifier) continue;
          if (specifier.type === 'ImportNamespaceSpecifier') tracked.set(variable, { label: variable.name, value: exports });
          else if (specifier.type === 'ImportSpecifier') {
            const name = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
            const value = (exports as Record<string, unknown>)[name];
            if (typeof value === 'object' && value !== null) tracked.set(variable, { label: String(node.source.value) === UTILS_MODULE ? name : variable.name, value });
          }
        }
      },
      'Program:exit'() {
        for (const [variable, { label, value }] of tracked) {
          for (const reference of variable.references) follow(reference.identifier as Node, label, value);
        }
        const globals = { util: modules.util, extensions: modules.extensions, runtime: modules.runtime } as Record<string, unknown>;
        for (const scope of context.sourceCode.scopeManager.scopes) {
          for (const reference of scope.references) {
            const id = reference.identifier as ESTree.Identifier;
            const global = globals[id.name];
            const resolved = reference.resolved;
            if (global && (!resolved || (resolved.scope.type === 'global' && resolved.defs.length === 0))) follow(id as Node, id.name, global);
          }
        }
      },
    };
  },
};
