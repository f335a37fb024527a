// The plugin's type-aware no-function-passing runs on the deployed JavaScript with a TypeScript
// program, but in plain JavaScript a receiver such as `ctx.args.items` is `any`, so
// `ctx.args.items.sort((a, b) => a - b)` goes unseen there. This rule approximates it on the
// syntax alone: a call with an argument that is a function expression, or an identifier bound
// to a function, is reported unless the callee is a member call to one of the array methods the
// plugin allows. The compile step drops a report the real rule already made at the same place.
import type { Rule, Scope } from 'eslint';
import type * as ESTree from 'estree';

/** The plugin's allow-list (NPM-L rules/no-function-passing.js); Array.sort is deliberately absent. */
const ALLOWED_METHODS = new Set(['map', 'find', 'filter', 'findIndex', 'findLast', 'findLastIndex', 'forEach', 'reduce', 'reduceRight', 'every', 'some', 'flatMap']);

function isFunctionNode(node: ESTree.Node | null | undefined): boolean {
  return !!node && (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'FunctionDeclaration');
}

function boundToFunction(variable: Scope.Variable | null | undefined): boolean {
  const def = variable?.defs[0];
  if (!def) return false;
  if (def.type === 'FunctionName') return true;
  return def.type === 'Variable' && def.node.type === 'VariableDeclarator' && isFunctionNode(def.node.init) && variable!.defs.length === 1;
}

export const noFunctionPassing: Rule.RuleModule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { noFunctionPassing: 'Functions can not be passed as an argument' },
  },
  create(context) {
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && ALLOWED_METHODS.has(callee.property.name)) return;
        const scope = context.sourceCode.getScope(node);
        const passesFunction = node.arguments.some((argument) => {
          if (isFunctionNode(argument)) return true;
          if (argument.type !== 'Identifier') return false;
          let s: Scope.Scope | null = scope;
          while (s) {
            const variable = s.set.get(argument.name);
            if (variable) return boundToFunction(variable);
            s = s.upper;
          }
          return false;
        });
        if (passesFunction) context.report({ loc: node.loc!, messageId: 'noFunctionPassing' });
      },
    };
  },
};
