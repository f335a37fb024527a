// evaluateCode, the offline EvaluateCode (API-EVAL, docs/reference/appsync-js-runtime.md §11), and the evaluateHandler
// wrapper tests use.
import { describe, expect, it } from 'vitest';
import { CodeRejectedError, evaluateCode, evaluateHandler } from '../../../local/appsync/js/index.ts';

const CODE = `import { util } from '@aws-appsync/utils';
export function request(ctx) {
  ctx.stash.seen = ctx.args.id;
  console.log("request for", ctx.args.id);
  util.appendError("careful", "Warning");
  return { operation: "GetItem", key: util.dynamodb.toMapValues({ id: ctx.args.id }) };
}
export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
`;

describe('evaluateCode', () => {
  // UNVERIFIED: the shape of outErrors' entries.
  it('answers with evaluationResult, logs, stash and outErrors as JSON strings', () => {
    expect(evaluateCode({ code: CODE, function: 'request', context: '{"arguments":{"id":"a1"}}', runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' } })).toEqual({
      evaluationResult: '{"operation":"GetItem","key":{"id":{"S":"a1"}}}',
      logs: ['request for a1'],
      stash: '{"seen":"a1"}',
      outErrors: '[{"message":"careful","errorType":"Warning","data":null,"errorInfo":null}]',
    });
  });

  it('takes the context as an object too, and runs response handlers with ctx.result and ctx.error', () => {
    expect(evaluateCode({ code: CODE, function: 'response', context: { result: { id: 'a1' } } }).evaluationResult).toBe('{"id":"a1"}');
    expect(evaluateCode({ code: CODE, function: 'response', context: { result: null, error: { message: 'nope', type: 'DynamoDB:X' } } })).toMatchObject({
      error: { message: 'nope' },
    });
  });

  it('an early return is the evaluation result', () => {
    const code = 'export function request(ctx) { runtime.earlyReturn({ cached: true }); }\nexport function response(ctx) {}';
    expect(evaluateCode({ code, function: 'request', context: '{}' }).evaluationResult).toBe('{"cached":true}');
  });

  it('reports code errors in EvaluateCode shape: errorType, value and location {line, column, span}', () => {
    const response = evaluateCode({ code: 'export function request(ctx) {\n  let i = 0;\n  i++;\n  return i;\n}\nexport function response(ctx) {}', function: 'request', context: '{}' });
    expect(response).toEqual({
      error: {
        message: 'The code contains one or more errors.',
        codeErrors: [{ errorType: 'LINT_ERROR', value: 'The operator ++ is not supported', location: { line: 3, column: 3, span: 3 } }],
      },
    });
  });

  it('refuses malformed requests: runtime, function and context', () => {
    expect(evaluateCode({ code: CODE, function: 'request', context: '{}', runtime: { name: 'APPSYNC_JS', runtimeVersion: '2.0.0' as '1.0.0' } }).error?.message).toMatch(/runtime .* is not supported/);
    expect(evaluateCode({ code: CODE, function: 'other' as 'request', context: '{}' }).error?.message).toBe('function must be "request" or "response", not "other"');
    expect(evaluateCode({ code: CODE, function: 'request', context: '{bad' }).error?.message).toMatch(/^context is not valid JSON/);
    expect(evaluateCode({ code: CODE, function: 'request', context: '{' }).error?.message).toBe('context must be 2 to 28000 characters of JSON; it is 1');
    expect(evaluateCode({ code: CODE, function: 'request', context: '[]' }).error?.message).toBe('context must be a JSON object');
  });

  it('an exception is reported with its code.js prefix (docs/reference/appsync-js-runtime.md §9.4)', () => {
    const response = evaluateCode({ code: 'export function request(ctx) {\n  return ctx.args.a.b;\n}\nexport function response(ctx) {}', function: 'request', context: '{}' });
    expect(response.error).toEqual({ message: "code.js:2:21: TypeError: Cannot read properties of undefined (reading 'b')" });
    expect(response.evaluationResult).toBeUndefined();
  });
});

describe('evaluateHandler', () => {
  it('returns parsed values', () => {
    expect(evaluateHandler(CODE, 'request', { arguments: { id: 'x' } })).toEqual({
      result: { operation: 'GetItem', key: { id: { S: 'x' } } },
      logs: ['request for x'],
      stash: { seen: 'x' },
      outErrors: [{ message: 'careful', errorType: 'Warning', data: null, errorInfo: null }],
    });
    expect(evaluateHandler(CODE, 'response', { error: { message: 'm', type: 't' } })).toMatchObject({ result: undefined, error: { message: 'm' } });
  });

  it('throws the CodeRejectedError of code that fails the save-time checks', () => {
    expect(() => evaluateHandler('export function request(ctx) { throw 1; }\nexport function response(ctx) {}', 'request')).toThrow(CodeRejectedError);
  });
});
