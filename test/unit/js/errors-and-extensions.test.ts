// util.error / appendError / unauthorized / authType, extensions and runtime (D-UTIL, D-EXT, D-RT,
// docs/reference/appsync-js-runtime.md §4.5, §4.6, §9).
import { describe, expect, it } from 'vitest';
import { authTypeOfIdentity } from '../../../local/appsync/js/util/errors.ts';
import { evaluateHandler } from '../../../local/appsync/js/index.ts';
import { handler, run } from './helpers.ts';
import { resolve, unit } from './resolver-harness.ts';

const responseHandler = (body: string) => `import { util, extensions } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return { payload: ctx.args };\n}\nexport function response(ctx) {\n  ${body}\n}\n`;

describe('util.error', () => {
  it('aborts the handler: the field is null and carries message, type, data and errorInfo', async () => {
    const outcome = await resolve(unit(handler('util.error("bad", "Custom", { a: 1, f: () => 1 }, { why: "x" }); return { payload: 1 };')));
    expect(outcome.data).toBeNull();
    expect(outcome.error).toEqual({ message: 'bad', errorType: 'Custom', data: { a: 1 }, errorInfo: { why: 'x' } });
    // In a unit request handler the data source is not called (AW-ERR).
    expect(outcome.calls).toHaveLength(0);
  });

  it('defaults errorType, data and errorInfo to null', async () => {
    expect((await resolve(unit(handler('util.error("bad");')))).error).toEqual({ message: 'bad', errorType: null, data: null, errorInfo: null });
  });

  it('is ignored, with a warning in the logs, when the message or type is not a string (docs/reference/appsync-js-runtime.md §9.6)', async () => {
    const outcome = await resolve(unit(handler('util.error(25); util.error(true); util.error("abc", 25); return { payload: "went on" };')));
    expect(outcome.error).toBeUndefined();
    expect(outcome.data).toBe('went on');
    expect(outcome.logs).toEqual([
      expect.stringMatching(/^WARN util\.error was ignored because its message is a number, not a string/),
      expect.stringMatching(/^WARN util\.error was ignored because its message is a boolean/),
      expect.stringMatching(/^WARN util\.error was ignored because its error type is a number/),
    ]);
  });
});

describe('util.appendError', () => {
  it('records the error and the handler goes on; the data is kept', async () => {
    const outcome = await resolve(unit(handler('util.appendError("first", "A"); util.appendError("second", null, [1], { i: 2 }); return { payload: { ok: true } };')));
    expect(outcome.data).toEqual({ ok: true });
    expect(outcome.error).toBeUndefined();
    expect(outcome.appendedErrors).toEqual([
      { message: 'first', errorType: 'A', data: null, errorInfo: null },
      { message: 'second', errorType: null, data: [1], errorInfo: { i: 2 } },
    ]);
  });

  it('shares util.error\'s overloads: a non-string message is ignored with a warning (UNVERIFIED)', async () => {
    const outcome = await resolve(unit(handler('util.appendError({}); return {};')));
    expect(outcome.appendedErrors).toEqual([]);
    expect(outcome.logs[0]).toMatch(/^WARN util\.appendError was ignored because its message is an object/);
  });

  it('EvaluateCode reports appended errors as outErrors', () => {
    const evaluated = evaluateHandler(handler('util.appendError("x", "T"); return 1;'), 'request');
    expect(evaluated.result).toBe(1);
    expect(evaluated.outErrors).toEqual([{ message: 'x', errorType: 'T', data: null, errorInfo: null }]);
  });
});

describe('util.unauthorized', () => {
  it('nulls the field with errorType Unauthorized and the field-auth message (UNVERIFIED for util.unauthorized)', async () => {
    const outcome = await resolve(unit(handler('util.unauthorized();'), { typeName: 'Query', fieldName: 'secret' }));
    expect(outcome.error).toEqual({ message: 'Not Authorized to access secret on type Query', errorType: 'Unauthorized', data: null, errorInfo: null });
  });
});

describe('util.authType', () => {
  // The name for AWS_LAMBDA is undocumented (UNVERIFIED in the reference; LS records it).
  it('names the auth mode of the request', async () => {
    const names = await Promise.all(
      (['API_KEY', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA'] as const).map(async (authType) => (await resolve(unit(handler('return { payload: util.authType() };')), { authType })).data),
    );
    expect(names).toEqual(['API Key Authorization', 'IAM Authorization', 'User Pool Authorization', 'Open ID Connect Authorization', 'Lambda Authorization']);
  });

  it('EvaluateCode reads the mode off the mock identity, as recorded against AWS', () => {
    expect(authTypeOfIdentity(undefined)).toBe('API_KEY');
    expect(authTypeOfIdentity({})).toBe('AWS_LAMBDA');
    expect(authTypeOfIdentity({ resolverContext: { a: 1 } })).toBe('AWS_LAMBDA');
    expect(authTypeOfIdentity({ accountId: '1', sourceIp: ['1.2.3.4'], username: 'AKIA', userArn: 'arn:aws:iam::1:user/a' })).toBe('AWS_IAM');
    expect(authTypeOfIdentity({ accountId: '1', sourceIp: null, userArn: 'arn' })).toBe('API_KEY');
    expect(authTypeOfIdentity({ sourceIp: ['1'], username: 'a', sub: 's', issuer: 'i', claims: {}, defaultAuthStrategy: 'ALLOW' })).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(authTypeOfIdentity({ sourceIp: ['1'], username: 'a', sub: 's', issuer: 'i', claims: {} })).toBe('API_KEY');
    expect(authTypeOfIdentity({ sub: 's', issuer: 'i', claims: {} })).toBe('OPENID_CONNECT');
    expect(authTypeOfIdentity({ sub: 's', issuer: 'i', claims: {}, username: 'a' })).toBe('API_KEY');
    expect(run('util.authType()', { identity: { sub: 's', issuer: 'i', claims: {} } }).result).toBe('Open ID Connect Authorization');
  });
});

describe('extensions', () => {
  it('setSubscriptionFilter and setSubscriptionInvalidationFilter in a subscription response handler', async () => {
    const outcome = await resolve(
      unit(responseHandler('extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ owner: { eq: "me" } })); extensions.setSubscriptionInvalidationFilter({ filterGroup: [{ filters: [{ fieldName: "id", operator: "eq", value: 1 }] }] }); return null;'), { typeName: 'Subscription' }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.extensions.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'me' }] }] });
    expect(outcome.extensions.subscriptionInvalidationFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: 1 }] }] });
  });

  it('refuses setSubscriptionFilter outside a subscription response handler (UNVERIFIED how AppSync fails)', async () => {
    const inQuery = await resolve(unit(responseHandler('extensions.setSubscriptionFilter({ filterGroup: [] }); return null;')));
    expect(inQuery.error).toMatchObject({ errorType: 'Code', message: expect.stringMatching(/^code\.js:6:14: Error: extensions\.setSubscriptionFilter can only be used in the response handler of a subscription resolver/) });
    const inRequest = await resolve(unit(handler('extensions.setSubscriptionFilter({ filterGroup: [] }); return {};'), { typeName: 'Subscription' }));
    expect(inRequest.error?.message).toMatch(/here: the request handler of a subscription field Subscription\.field/);
    const badFilter = await resolve(unit(responseHandler('extensions.setSubscriptionFilter({ owner: { eq: 1 } }); return null;'), { typeName: 'Subscription' }));
    expect(badFilter.error?.message).toMatch(/expected a subscription filter \{filterGroup/);
  });

  it('invalidateSubscriptions in a mutation response handler records each call', async () => {
    const outcome = await resolve(
      unit(responseHandler('extensions.invalidateSubscriptions({ subscriptionField: "onJobUpdate", payload: { id: ctx.args.id } }); extensions.invalidateSubscriptions({ subscriptionField: "onOther", payload: {} }); return ctx.result;'), {
        typeName: 'Mutation',
      }),
      { arguments: { id: 'j1' } },
    );
    expect(outcome.extensions.invalidations).toEqual([
      { subscriptionField: 'onJobUpdate', payload: { id: 'j1' } },
      { subscriptionField: 'onOther', payload: {} },
    ]);
    const inQuery = await resolve(unit(responseHandler('extensions.invalidateSubscriptions({ subscriptionField: "x", payload: {} }); return 1;')));
    expect(inQuery.error?.message).toMatch(/invalidateSubscriptions can only be used in the response handler of a mutation resolver/);
  });

  it('evictFromApiCache is recorded in mutations and has no effect elsewhere', async () => {
    const code = responseHandler('extensions.evictFromApiCache("Query", "market", { "context.arguments.id": ctx.args.id }); return 1;');
    const inMutation = await resolve(unit(code, { typeName: 'Mutation' }), { arguments: { id: 'm1' } });
    expect(inMutation.extensions.cacheEvictions).toEqual([{ typeName: 'Query', fieldName: 'market', keys: { 'context.arguments.id': 'm1' } }]);
    const inQuery = await resolve(unit(code));
    expect(inQuery.extensions.cacheEvictions).toEqual([]);
    expect(inQuery.logs[0]).toMatch(/WARN extensions\.evictFromApiCache has no effect in a query/);
  });
});

describe('runtime.earlyReturn', () => {
  it('in a unit request handler skips the data source and the response handler', async () => {
    const outcome = await resolve(unit(`export function request(ctx) { runtime.earlyReturn({ early: true }); }\nexport function response(ctx) { util.error("not reached"); }`));
    expect(outcome.data).toEqual({ early: true });
    expect(outcome.calls).toHaveLength(0);
  });

  it('without a value returns null, and refuses an unknown skipTo', async () => {
    expect((await resolve(unit(`export function request(ctx) { runtime.earlyReturn(); }\nexport function response(ctx) {}`))).data).toBeNull();
    const bad = await resolve(unit(`export function request(ctx) { runtime.earlyReturn(1, { skipTo: "LATER" }); }\nexport function response(ctx) {}`));
    expect(bad.error?.message).toMatch(/runtime\.earlyReturn: skipTo must be "END" or "NEXT", not the string "LATER"/);
  });

  it('in a response handler returns its value (UNVERIFIED)', async () => {
    expect((await resolve(unit(`export function request(ctx) { return { payload: 1 }; }\nexport function response(ctx) { runtime.earlyReturn("early"); }`))).data).toBe('early');
  });
});
