// Which global names handler code may use. D-FEAT documents Object, String, Number, Math, JSON,
// console, NaN, Infinity, undefined and the util/extensions/runtime globals; Array is implied
// (the plugin has rules about Array members). Everything else — Date, parseInt, Map, Set,
// RegExp, Promise, Symbol, globalThis, … — is undocumented, and docs/reference/appsync-js-runtime.md §2.2/§13 says to
// treat it as unsupported (UNVERIFIED whether AppSync runs any of it); an undeclared name is
// refused by AppSync's type check as well
// (docs/reference/appsync-js-runtime.md §2.3, SLS619). The sandbox defines exactly these globals.
import type { Rule, Scope } from 'eslint';
import type * as ESTree from 'estree';

export const ALLOWED_GLOBALS = new Set(['Object', 'String', 'Number', 'Math', 'Array', 'JSON', 'console', 'NaN', 'Infinity', 'undefined', 'util', 'extensions', 'runtime']);

const HINTS: Record<string, string> = {
  Date: ' Use util.time for dates and times.',
  RegExp: ' util.matches() and the string pattern of replace/replaceAll/split take a Java regular expression as a string.',
  parseInt: ' Convert with unary + (+value) and check with Number.isFinite.',
  parseFloat: ' Convert with unary + (+value) and check with Number.isFinite.',
  isNaN: ' Use Number.isNaN.',
  isFinite: ' Use Number.isFinite.',
  Promise: ' APPSYNC_JS has no asynchronous code.',
  Error: ' Use util.error() to raise an error.',
  globalThis: '',
};

function isGlobalReference(reference: Scope.Reference): boolean {
  const variable = reference.resolved;
  // Unresolved, or resolved to an implicit library global (typescript-eslint declares the ES lib).
  return !variable || (variable.scope.type === 'global' && variable.defs.length === 0);
}

export const supportedGlobals: Rule.RuleModule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      unknown:
        "'{{name}}' is not available in APPSYNC_JS.{{hint}} Its globals are Object, String, Number, Math, Array, JSON, console, NaN, Infinity, undefined, util, extensions and runtime.",
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        const seen = new Set<ESTree.Node>();
        for (const scope of context.sourceCode.scopeManager.scopes) {
          for (const reference of scope.references) {
            const id = reference.identifier as ESTree.Identifier;
            if (seen.has(id) || !isGlobalReference(reference) || ALLOWED_GLOBALS.has(id.name)) continue;
            // `arguments` has its own rule.
            if (id.name === 'arguments') continue;
            seen.add(id);
            context.report({ node: id, messageId: 'unknown', data: { name: id.name, hint: HINTS[id.name] ?? '' } });
          }
        }
      },
    };
  },
};

/**
 * Number(x) and String(x) as conversion functions: D-FEAT documents only Number.isFinite,
 * Number.isNaN and String.raw (docs/reference/appsync-js-runtime.md §2.2 lists `Number()`/`String()` as undocumented).
 */
export const noConversionCalls: Rule.RuleModule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      call: "Calling {{name}}() as a function is not documented for APPSYNC_JS. {{hint}}",
    },
  },
  create(context) {
    const hints: Record<string, string> = {
      Number: 'Convert with unary + (+value).',
      String: 'Convert with a template literal (`${value}`).',
      Object: 'Use an object literal.',
      Array: 'Use an array literal.',
    };
    return {
      CallExpression(node) {
        if (node.callee.type !== 'Identifier' || !hints[node.callee.name]) return;
        const reference = context.sourceCode.getScope(node).references.find((r) => r.identifier === node.callee);
        if (reference && !isGlobalReference(reference)) return;
        context.report({ node, messageId: 'call', data: { name: node.callee.name, hint: hints[node.callee.name]! } });
      },
    };
  },
};
