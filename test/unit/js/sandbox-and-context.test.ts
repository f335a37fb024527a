// The vm sandbox (documented globals only, AppSync's JSON.parse, per-call module state) and the
// ctx object (D-CTX, docs/reference/appsync-js-runtime.md §3).
import { describe, expect, it } from 'vitest';
import { evaluateHandler } from '../../../local/appsync/js/index.ts';
import { handler, value } from './helpers.ts';
import { resolve, unit } from './resolver-harness.ts';

describe('the sandbox', () => {
  it('defines only the documented globals', () => {
    // `globalThis` itself is refused on save, so list the globals through a function's scope.
    const present = value('[typeof Object, typeof String, typeof Number, typeof Math, typeof Array, typeof JSON, typeof console, typeof util, typeof extensions, typeof runtime, typeof NaN, typeof undefined]');
    expect(present).toEqual(['function', 'function', 'function', 'object', 'function', 'object', 'object', 'object', 'object', 'object', 'number', 'undefined']);
  });

  it('has no eval: the Function constructor reached through a function refuses to compile code', () => {
    expect(evaluateHandler(handler('const F = (() => 1).constructor; return F("return 1")();'), 'request').error?.message).toMatch(
      /^code\.js:\d+:\d+: EvalError: Code generation from strings disallowed for this context$/,
    );
  });

  it('JSON.parse of invalid JSON returns a blank string (D-FEAT)', () => {
    expect(value('[JSON.parse("{bad"), JSON.parse(\'{"a":[1]}\')]')).toEqual(['', { a: [1] }]);
  });

  // UNVERIFIED: the format of a log line.
  it('console.log and console.error write to the logs', () => {
    const evaluated = evaluateHandler(handler('console.log("text", 1, { a: [true] }, null); console.error("failed:", "x"); return null;'), 'request');
    expect(evaluated.logs).toEqual(['text 1 {"a":[true]} null', 'ERROR failed: x']);
  });

  it('instantiates the module for every call: module-level state does not leak', async () => {
    const code = `let calls = 0;\nexport function request(ctx) { calls = calls + 1; return { payload: calls }; }\nexport function response(ctx) { return ctx.result; }`;
    const resolver = unit(code);
    const first = await resolve(resolver);
    const second = await resolve(resolver);
    expect([first.data, second.data]).toEqual([1, 1]);
  });

  it('keeps one vm context per compiled module: built-ins changed by one module do not reach another', async () => {
    const patching = await resolve(unit('export function request(ctx) { Array.prototype.extra = 1; return { payload: [].extra }; }\nexport function response(ctx) { return ctx.result; }'));
    const other = await resolve(unit('export function request(ctx) { return { payload: [].extra === undefined }; }\nexport function response(ctx) { return ctx.result; }'));
    expect([patching.data, other.data]).toEqual([1, true]);
  });

  it('binds named, namespace and type-only imports', () => {
    const code = `import { util as u, runtime, Context } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\nimport { toStringSet } from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) { return [typeof u.time.nowISO8601, typeof runtime.earlyReturn, Context === undefined, ddb.toNumberSet([1]), toStringSet(["a"])]; }\nexport function response(ctx) {}`;
    expect(evaluateHandler(code, 'request').result).toEqual(['function', 'function', true, { NS: [1] }, { SS: ['a'] }]);
  });

  it('exports declared as `export const`, by specifier, and the default export is ignored', () => {
    const code = `const handle = (ctx) => "via specifier";\nexport { handle as request };\nexport const response = (ctx) => "arrow";\nexport default function () { return 1; }`;
    expect(evaluateHandler(code, 'request').result).toBe('via specifier');
    expect(evaluateHandler(code, 'response').result).toBe('arrow');
  });
});

describe('ctx', () => {
  it('ctx.arguments and ctx.args are one object, an empty object without arguments', async () => {
    expect((await resolve(unit(handler('return { payload: [ctx.args === ctx.arguments, ctx.args] };')))).data).toEqual([true, {}]);
  });

  it('identity and source are null at a root field with an API key; source is the parent below', async () => {
    expect((await resolve(unit(handler('return { payload: [ctx.identity, ctx.source] };')))).data).toEqual([null, null]);
    expect((await resolve(unit(handler('return { payload: ctx.source.id };')), { source: { id: 'parent' } })).data).toBe('parent');
  });

  it('copies data in: a handler mutating ctx.args does not change the caller\'s arguments', async () => {
    const args = { list: [1] };
    await resolve(unit(handler('ctx.args.list.push(2); return {};')), { arguments: args });
    expect(args).toEqual({ list: [1] });
  });

  it('the stash cannot be replaced, but its members can be changed and deleted', async () => {
    const replaced = await resolve(unit('export const request = (ctx) => { ctx.stash = {}; return {}; };\nexport function response(ctx) {}'));
    expect(replaced.error?.message).toMatch(/^code\.js:1:45: TypeError: Cannot assign to read only property 'stash'/);
    const edited = await resolve(unit(handler('ctx.stash.a = 1; ctx.stash.b = 2; delete ctx.stash.b; Object.assign(ctx.stash, { c: 3 }); return {};')));
    expect(edited.stash).toEqual({ a: 1, c: 3 });
  });

  it('ctx.env holds the API\'s environment variables and is read-only', async () => {
    const outcome = await resolve(unit(handler('return { payload: ctx.env.TABLE };')), { env: { TABLE: 'prices' } });
    expect(outcome.data).toBe('prices');
    const write = await resolve(unit('export const request = (ctx) => { ctx.env.TABLE = "x"; };\nexport function response(ctx) {}'), { env: { TABLE: 'prices' } });
    expect(write.error?.message).toMatch(/TypeError: Cannot assign to read only property 'TABLE'/);
  });

  it('info has the selection set, which JSON.stringify(ctx.info) leaves out', async () => {
    const outcome = await resolve(unit(handler('return { payload: { json: JSON.parse(JSON.stringify(ctx.info)), list: ctx.info.selectionSetList, graphql: ctx.info.selectionSetGraphQL } };')), {
      info: { fieldName: 'market', parentTypeName: 'Query', variables: { id: 'm' }, selectionSetList: ['id', 'prices', 'prices/odds'], selectionSetGraphQL: '{\n  id\n}' },
    });
    expect(outcome.data).toEqual({ json: { fieldName: 'market', parentTypeName: 'Query', variables: { id: 'm' } }, list: ['id', 'prices', 'prices/odds'], graphql: '{\n  id\n}' });
  });

  // UNVERIFIED: lower-case header names (D-CTX documents arrays and the hidden cookie header).
  it('request headers are lower-case, repeated headers are arrays, and the cookie header is never shown', async () => {
    const outcome = await resolve(unit(handler('return { payload: ctx.request };')), {
      request: { headers: { 'X-Custom': ['a', 'b'], Authorization: 'token', Cookie: 'session=1' }, domainName: 'api.example.com' },
    });
    expect(outcome.data).toEqual({ headers: { 'x-custom': ['a', 'b'], authorization: 'token' }, domainName: 'api.example.com' });
  });

  it('is built from an EvaluateCode context: arguments, identity, source, result, error, prev and stash', () => {
    const context = { arguments: { a: 1 }, identity: { sub: 's' }, source: { p: 1 }, result: { r: 1 }, error: { message: 'm', type: 't' }, prev: { result: 'p' }, stash: { s: 1 } };
    const code = `export function request(ctx) {}\nexport function response(ctx) { ctx.stash.seen = true; return [ctx.args, ctx.identity, ctx.source, ctx.result, ctx.error, ctx.prev]; }`;
    const evaluated = evaluateHandler(code, 'response', context);
    expect(evaluated.result).toEqual([{ a: 1 }, { sub: 's' }, { p: 1 }, { r: 1 }, { message: 'm', type: 't' }, { result: 'p' }]);
    expect(evaluated.stash).toEqual({ s: 1, seen: true });
  });
});
