// Shared by the APPSYNC_JS unit tests: handler code around an expression, run through the same
// path EvaluateCode uses.
import { evaluateHandler, type EvaluatedHandler } from '../../../local/appsync/js/index.ts';

/** Evaluates `expression` in a request handler, with util and the dynamodb module imported. */
export function run(expression: string, context: object = {}): EvaluatedHandler {
  return evaluateHandler(handler(`return ${expression};`), 'request', context);
}

/** A module exporting `request` with `body` and an empty `response`. */
export function handler(body: string, imports = "import { util } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';"): string {
  return `${imports}\nexport function request(ctx) {\n  ${body}\n}\nexport function response(ctx) {\n  return ctx.result;\n}\n`;
}

/** The value of `expression`; fails the test with the handler's error when there is one. */
export function value(expression: string, context: object = {}): unknown {
  const evaluated = run(expression, context);
  if (evaluated.error) throw new Error(`the handler failed: ${evaluated.error.message}`);
  return evaluated.result;
}
