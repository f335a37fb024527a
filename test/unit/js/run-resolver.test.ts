// Unit, pipeline and direct Lambda resolvers (docs/reference/appsync-js-runtime.md §1.2, §7.2, §9).
import { describe, expect, it } from 'vitest';
import { compileHandlerCode, runResolver, type ResolverDefinition } from '../../../local/appsync/js/index.ts';
import { invocation, pipeline, recordingInvoker, resolve, unit } from './resolver-harness.ts';

const fn = (name: string, request: string, response = 'return ctx.result;') => ({ name, code: `export function request(ctx) { ${request} }\nexport function response(ctx) { ${response} }` });

describe('unit resolvers', () => {
  it('runs request → data source → response, with the request as the data-source call', async () => {
    const outcome = await resolve(
      unit(`export function request(ctx) { return { operation: "GetItem", key: { id: { S: ctx.args.id } } }; }\nexport function response(ctx) { return { ...ctx.result, seen: ctx.args.id }; }`, { fieldName: 'market', dataSourceName: 'MarketsTable' }),
      { arguments: { id: 'm1' }, identity: { sub: 'u' } },
      () => ({ result: { id: 'm1', name: 'Winner' } }),
    );
    expect(outcome.data).toEqual({ id: 'm1', name: 'Winner', seen: 'm1' });
    expect(outcome.calls).toEqual([
      { dataSourceName: 'MarketsTable', request: { operation: 'GetItem', key: { id: { S: 'm1' } } }, direct: false, field: 'Query.market', maxBatchSize: 0, arguments: { id: 'm1' }, identity: { sub: 'u' }, deadline: expect.any(Number) },
    ]);
  });

  it('does not raise a data-source error by itself: the response handler decides (docs/reference/appsync-js-runtime.md §9.3)', async () => {
    const ignoring = await resolve(unit(`export function request(ctx) { return {}; }\nexport function response(ctx) { return { error: ctx.error, result: ctx.result }; }`), {}, () => ({
      result: { current: 1 },
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
    }));
    expect(ignoring.error).toBeUndefined();
    expect(ignoring.data).toEqual({ error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' }, result: { current: 1 } });
    const raising = await resolve(unit(`export function request(ctx) { return {}; }\nexport function response(ctx) { if (ctx.error) util.error(ctx.error.message, ctx.error.type); return ctx.result; }`), {}, () => ({
      error: { message: 'boom', type: 'Lambda:Unhandled' },
    }));
    expect(raising.error).toEqual({ message: 'boom', errorType: 'Lambda:Unhandled', data: null, errorInfo: null });
  });

  it('sends null for a request handler that returns nothing, and the field is null when the response returns nothing', async () => {
    const outcome = await resolve(unit(`export function request(ctx) {}\nexport function response(ctx) {}`));
    expect(outcome.calls[0]!.request).toBeNull();
    expect(outcome.data).toBeNull();
  });

  it('reports a runtime exception as errorType Code with the code.js position (docs/reference/appsync-js-runtime.md §9.4)', async () => {
    const outcome = await resolve(unit(`export function request(ctx) {\n  return ctx.args.missing.deeper;\n}\nexport function response(ctx) {}`));
    expect(outcome.error).toEqual({ message: "code.js:2:27: TypeError: Cannot read properties of undefined (reading 'deeper')", errorType: 'Code', data: null, errorInfo: null });
    expect(outcome.calls).toHaveLength(0);
    expect(outcome.logs[0]).toMatch(/^ERROR test\.js request: code\.js:2:27: TypeError/);
  });

  // UNVERIFIED: the errorType and message of an execution timeout.
  it('stops at the deadline before calling a handler, and after a slow data source', async () => {
    const late = await resolve(unit(`export function request(ctx) { return {}; }\nexport function response(ctx) { return 1; }`), { deadline: Date.now() - 1 });
    expect(late.error).toEqual({ message: 'Execution timed out.', errorType: 'ExecutionTimeout', data: null, errorInfo: null });
    const slow = await resolve(unit(`export function request(ctx) { return {}; }\nexport function response(ctx) { return 1; }`), { deadline: Date.now() + 50 }, async () => {
      await new Promise((r) => setTimeout(r, 80));
      return { result: 1 };
    });
    expect(slow.error?.errorType).toBe('ExecutionTimeout');
  });
});

describe('pipeline resolvers', () => {
  // UNVERIFIED (docs/reference/appsync-js-runtime.md §13): ctx.result and ctx.error are reset for every function.
  it('runs before → F1 → F2 → after, each value becoming ctx.prev.result; the stash is shared; ctx.result/ctx.error reset per function (UNVERIFIED)', async () => {
    const resolver = pipeline(
      `export function request(ctx) { ctx.stash.trail = ["before"]; return { from: "before" }; }\nexport function response(ctx) { ctx.stash.trail.push("after"); return { last: ctx.prev.result, same: ctx.result === ctx.prev.result, trail: ctx.stash.trail }; }`,
      [
        fn('F1', 'ctx.stash.trail.push("F1.request"); return { payload: { prev: ctx.prev.result, resultBefore: ctx.result === undefined } };', 'ctx.stash.trail.push("F1.response"); return { f1: ctx.result };'),
        fn('F2', 'ctx.stash.trail.push("F2.request"); return { payload: { prev: ctx.prev.result, errorReset: ctx.error === undefined, resultReset: ctx.result === undefined } };', 'return { f2: ctx.result };'),
      ],
    );
    const outcome = await resolve(resolver, {}, (call) => (call.dataSourceName === 'F1' ? { result: (call.request as { payload: unknown }).payload, error: { message: 'x', type: 'T' } } : { result: (call.request as { payload: unknown }).payload }));
    expect(outcome.calls.map((c) => c.dataSourceName)).toEqual(['F1', 'F2']);
    expect(outcome.data).toEqual({
      last: { f2: { prev: { f1: { prev: { from: 'before' }, resultBefore: true } }, errorReset: true, resultReset: true } },
      same: true,
      trail: ['before', 'F1.request', 'F1.response', 'F2.request', 'after'],
    });
    expect(outcome.stash).toEqual({ trail: ['before', 'F1.request', 'F1.response', 'F2.request', 'after'] });
  });

  it('earlyReturn in the resolver request skips every function', async () => {
    const outcome = await resolve(pipeline(`export function request(ctx) { runtime.earlyReturn({ skipped: true }); }\nexport function response(ctx) { return ctx.prev.result; }`, [fn('F1', 'return {};')]));
    expect(outcome.calls).toHaveLength(0);
    expect(outcome.data).toEqual({ skipped: true });
  });

  it('earlyReturn in a function request skips that function (NEXT) or the rest (END)', async () => {
    const next = await resolve(
      pipeline(`export function request(ctx) { return 0; }\nexport function response(ctx) { return ctx.prev.result; }`, [
        fn('F1', 'runtime.earlyReturn(1, { skipTo: "NEXT" });'),
        fn('F2', 'return { payload: ctx.prev.result + 1 };'),
      ]),
    );
    expect(next.calls.map((c) => c.dataSourceName)).toEqual(['F2']);
    expect(next.data).toBe(2);
    const end = await resolve(
      pipeline(`export function request(ctx) { return 0; }\nexport function response(ctx) { return ctx.prev.result; }`, [
        fn('F1', 'runtime.earlyReturn(7, { skipTo: "END" });'),
        fn('F2', 'return { payload: 99 };'),
      ]),
    );
    expect(end.calls).toHaveLength(0);
    expect(end.data).toBe(7);
  });

  it('util.error in a function stops the pipeline and nulls the field; appendError goes on', async () => {
    const failing = await resolve(
      pipeline(`export function request(ctx) { return {}; }\nexport function response(ctx) { util.error("not reached"); }`, [
        fn('F1', 'util.appendError("noted"); return { payload: 1 };', 'util.error("F1 failed", "F1Error", ctx.result);'),
        fn('F2', 'return { payload: 2 };'),
      ]),
    );
    expect(failing.calls.map((c) => c.dataSourceName)).toEqual(['F1']);
    expect(failing.data).toBeNull();
    expect(failing.error).toEqual({ message: 'F1 failed', errorType: 'F1Error', data: 1, errorInfo: null });
    expect(failing.appendedErrors).toEqual([{ message: 'noted', errorType: null, data: null, errorInfo: null }]);
  });

  it('a runtime exception in the after step is a Code error', async () => {
    const outcome = await resolve(pipeline(`export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.prev.result.nope.x; }`, [fn('F1', 'return { payload: {} };')]));
    expect(outcome.error?.errorType).toBe('Code');
    expect(outcome.error?.message).toMatch(/^code\.js:2:61: TypeError: Cannot read properties of undefined \(reading 'x'\)$/);
  });
});

describe('direct Lambda resolvers (no code, docs/reference/appsync-js-runtime.md §7.2)', () => {
  const direct = (): ResolverDefinition => ({ kind: 'UNIT', typeName: 'Query', fieldName: 'greet', dataSourceName: 'GreetFn', maxBatchSize: 0 });

  // UNVERIFIED: request.domainName in the event (the R1014 sample lacks it); lower-case header names.
  it('invokes with the context event, info including the selection set, prev null and an empty stash', async () => {
    const { calls, invoke } = recordingInvoker(() => ({ result: { hello: 'world' } }));
    const outcome = await runResolver(
      invocation(direct(), {
        arguments: { input: 'foo' },
        identity: { sub: 'u1' },
        request: { headers: { 'x-api-key': 'k', cookie: 'secret' }, domainName: null },
        info: { fieldName: 'greet', parentTypeName: 'Query', variables: { inputVar: 'foo' }, selectionSetList: ['hello'], selectionSetGraphQL: '{\n  hello\n}' },
      }),
      invoke,
    );
    expect(outcome.data).toEqual({ hello: 'world' });
    expect(calls[0]).toMatchObject({ dataSourceName: 'GreetFn', direct: true, field: 'Query.greet' });
    expect(JSON.parse(JSON.stringify(calls[0]!.request))).toEqual({
      arguments: { input: 'foo' },
      identity: { sub: 'u1' },
      source: null,
      request: { headers: { 'x-api-key': 'k' }, domainName: null },
      prev: null,
      info: { fieldName: 'greet', parentTypeName: 'Query', selectionSetList: ['hello'], selectionSetGraphQL: '{\n  hello\n}', variables: { inputVar: 'foo' } },
      stash: {},
    });
  });

  it('raises a Lambda error by default: util.error(message, type, result)', async () => {
    const { invoke } = recordingInvoker(() => ({ result: { partial: 1 }, error: { message: 'it broke', type: 'Lambda:Unhandled' } }));
    expect((await runResolver(invocation(direct()), invoke)).error).toEqual({ message: 'it broke', errorType: 'Lambda:Unhandled', data: { partial: 1 }, errorInfo: null });
    const unauthorized = recordingInvoker(() => ({ error: { message: 'no', type: 'UnauthorizedException' } }));
    expect((await runResolver(invocation(direct()), unauthorized.invoke)).error).toMatchObject({ message: 'You are not authorized to make this call.', errorType: 'UnauthorizedException' });
  });
});

describe('the deadline', () => {
  it('stops a runaway handler and reports an execution timeout', async () => {
    const runaway = compileHandlerCode(`export function request(ctx) {\n  const list = [1];\n  for (const x of list) list.push(x);\n}\nexport function response(ctx) {}`, 'runaway.js');
    const { invoke } = recordingInvoker();
    const outcome = await runResolver(invocation({ kind: 'UNIT', typeName: 'Query', fieldName: 'f', dataSourceName: 'ds', code: runaway, maxBatchSize: 0 }, { deadline: Date.now() + 200 }), invoke);
    expect(outcome.error).toEqual({ message: 'Execution timed out.', errorType: 'ExecutionTimeout', data: null, errorInfo: null });
    expect(outcome.logs[0]).toMatch(/^ERROR runaway\.js request: the handler did not finish within \d+ ms/);
  });

  // A billion iterations over finite lists, by loops and by callbacks: each is stopped by the
  // guard at the top of every loop and function body, not left to run for seconds.
  it.each([
    ['nested loops', 'for (const a of big) { for (const b of big) { for (const c of big) { n = n + a + b + c; } } }'],
    ['callbacks', 'n = big.reduce((x) => x + big.reduce((y) => y + big.reduce((z) => z + 1, 0), 0), 0);'],
  ])('stops a handler that runs long in %s at the deadline', async (_, body) => {
    const code = compileHandlerCode(`export function request(ctx) {\n  const ten = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];\n  const big = [];\n  for (const a of ten) { for (const b of ten) { for (const c of ten) { big.push(a * b * c); } } }\n  let n = 0;\n  ${body}\n  return n;\n}\nexport function response(ctx) { return ctx.result; }`, 'long.js');
    const { invoke } = recordingInvoker();
    const outcome = await runResolver(invocation({ kind: 'UNIT', typeName: 'Query', fieldName: 'f', dataSourceName: 'ds', code, maxBatchSize: 0 }, { deadline: Date.now() + 200 }), invoke);
    expect(outcome.error).toEqual({ message: 'Execution timed out.', errorType: 'ExecutionTimeout', data: null, errorInfo: null });
  });

  it('reports code.js columns as written, though the guard is inserted on the same line', async () => {
    const code = compileHandlerCode(`export function request(ctx) { const f = (v) => v.a.b; for (const x of [1]) { return f(ctx.args); } }\nexport function response(ctx) { return ctx.result; }`, 'columns.js');
    const { invoke } = recordingInvoker();
    const outcome = await runResolver(invocation({ kind: 'UNIT', typeName: 'Query', fieldName: 'f', dataSourceName: 'ds', code, maxBatchSize: 0 }), invoke);
    // Column 53 is `.b` of `v.a.b`, counted in the code as deployed.
    expect(outcome.error?.message).toBe("code.js:1:53: TypeError: Cannot read properties of undefined (reading 'b')");
  });
});
