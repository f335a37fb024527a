// Syntax AppSync rejects that @aws-appsync/eslint-plugin does not catch (docs/reference/appsync-js-runtime.md §2.1, §2.5;
// I337, I402): throw, catch/finally, class and generator expressions, `new`, `arguments`,
// getters and setters.
import type { Rule } from 'eslint';
import type * as ESTree from 'estree';

type Node = ESTree.Node & Rule.NodeParentExtension;

function simple(message: string, visitor: (report: (node: ESTree.Node) => void) => Rule.RuleListener): Rule.RuleModule {
  return {
    meta: { type: 'problem', schema: [], messages: { unsupported: message } },
    create: (context) => visitor((node) => context.report({ node, messageId: 'unsupported' })),
  };
}

export const noThrow = simple('Throw statements are not supported. Use util.error() to raise an error.', (report) => ({
  ThrowStatement: report,
}));

export const noCatchFinally: Rule.RuleModule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { catch: 'Catch clauses are not supported.', finally: 'Finally blocks are not supported.' },
  },
  create: (context) => ({
    CatchClause: (node) => context.report({ node, messageId: 'catch' }),
    TryStatement: (node) => {
      if (node.finalizer) context.report({ node: node.finalizer, messageId: 'finally' });
    },
  }),
};

/** The plugin's no-classes only sees class declarations. */
export const noClassExpressions = simple('Class expressions are not supported.', (report) => ({ ClassExpression: report }));

/** The plugin's no-generators only sees generator function declarations. */
export const noGeneratorExpressions = simple('Generator functions are not supported.', (report) => ({
  FunctionExpression: (node) => {
    if (node.generator) report(node);
  },
}));

/**
 * `new` of anything. D-FEAT documents no constructor, Date included (docs/reference/appsync-js-runtime.md §2.2: treat it as
 * unsupported; UNVERIFIED what AppSync does with it). `new Promise` is left to the plugin's
 * no-promise, which reports it already.
 */
export const noNew: Rule.RuleModule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      unsupported: "The new operator is not supported ('new {{name}}'): APPSYNC_JS documents no constructors.{{hint}}",
    },
  },
  create: (context) => ({
    NewExpression: (node) => {
      const name = node.callee.type === 'Identifier' ? node.callee.name : context.sourceCode.getText(node.callee);
      if (name === 'Promise') return;
      const hint = name === 'Date' ? ' Use util.time for dates and times.' : name === 'RegExp' ? ' util.matches() takes a Java regular expression as a string.' : name === 'Error' ? ' Use util.error() to raise an error.' : '';
      context.report({ node, messageId: 'unsupported', data: { name, hint } });
    },
  }),
};

export const noArguments = simple('The arguments object is not supported: use rest parameters (...args).', (report) => ({
  Identifier: (node) => {
    if (node.name !== 'arguments') return;
    const parent = (node as Node).parent;
    if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
    if (parent.type === 'Property' && parent.key === node && !parent.computed) return;
    report(node);
  },
}));

/** UNVERIFIED: getters and setters are not in D-FEAT's list of supported function syntax. */
export const noAccessors = simple('Getters and setters are not supported.', (report) => ({
  Property: (node) => {
    if (node.kind === 'get' || node.kind === 'set') report(node);
  },
  MethodDefinition: (node) => {
    if (node.kind === 'get' || node.kind === 'set') report(node);
  },
}));
