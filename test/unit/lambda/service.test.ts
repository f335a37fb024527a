import { afterAll, describe, expect, it } from 'vitest';
import { startLambdaService } from '../../../local/lambda/index.ts';
import type { LambdaService } from '../../../local/lambda/types.ts';
import { ACCOUNT, fixtureDir, lambdaFunction, logCollector, REGION } from './fixtures.ts';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/EsmRole`;
const logs = logCollector();
const service: LambdaService = startLambdaService({
  functions: [
    lambdaFunction('esm', { roleArn: ROLE, environment: { TABLE_NAME: 'Markets', AWS_REGION: 'eu-west-1' } }),
    lambdaFunction('no-role'),
    lambdaFunction('short', { timeoutSeconds: 1 }),
    lambdaFunction('cjs', { codeDir: fixtureDir('cjs') }),
    lambdaFunction('callback', { runtime: 'nodejs22.x', codeDir: fixtureDir('callback') }),
    lambdaFunction('silent', { runtime: 'nodejs22.x', codeDir: fixtureDir('callback'), handler: 'index.silent' }),
    lambdaFunction('callback-on-24', { runtime: 'nodejs24.x', codeDir: fixtureDir('callback') }),
    lambdaFunction('nested', { codeDir: fixtureDir('nested'), handler: 'lib/handlers.nested.fn' }),
    lambdaFunction('from-default', { codeDir: fixtureDir('nested'), handler: 'lib/handlers.fallback' }),
    lambdaFunction('not-exported', { handler: 'index.nothing' }),
    lambdaFunction('missing-file', { handler: 'absent.handler' }),
    lambdaFunction('syntax-error', { codeDir: fixtureDir('syntax-error') }),
    lambdaFunction('reserved-one', { reservedConcurrency: 1 }),
    lambdaFunction('reserved-zero', { reservedConcurrency: 0 }),
  ],
  region: REGION,
  accountId: ACCOUNT,
  credentialsFor: (roleArn) => (roleArn === ROLE ? { accessKeyId: 'AKIALOCALESM', secretAccessKey: 'local-secret' } : undefined),
  endpoints: { DYNAMODB: 'http://127.0.0.1:8000', 'dynamodb streams': 'http://127.0.0.1:8000' },
  log: logs.log,
});
afterAll(() => service.stop());

const call = (name: string, event: unknown) => service.invoke(name, event, { invocationType: 'RequestResponse' });
const payloadOf = async (name: string, event: unknown) => {
  const result = await call(name, event);
  if (!result.ok) throw new Error(`${name} failed: ${result.errorType}: ${result.errorMessage}`);
  return result.payload as Record<string, any>;
};
const linesOf = (requestId: string) => logs.lines.filter((line) => line.includes(requestId));

describe('environment and context', () => {
  it('gives the handler the template variables, what Lambda sets, the role key and the local endpoints', async () => {
    const { env } = await payloadOf('esm', { action: 'describe' });
    expect(env).toMatchObject({
      TABLE_NAME: 'Markets',
      // Lambda's own variables win over the template's.
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: 'esm',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/esm',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: fixtureDir('esm'),
      _HANDLER: 'index.handler',
      TZ: ':UTC',
      AWS_ACCESS_KEY_ID: 'AKIALOCALESM',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://127.0.0.1:8000',
    });
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('gives no credentials to a function whose role has no local key, and says so', async () => {
    const { env } = await payloadOf('no-role', { action: 'describe' });
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
    expect(logs.lines.some((line) => line.startsWith('[no-role] no local access key'))).toBe(true);
  });

  it('passes a context like Lambda’s', async () => {
    const record = await service.invokeWithRecord('esm', { action: 'describe' }, { invocationType: 'RequestResponse' });
    expect(record.result.ok).toBe(true);
    const { context, env } = (record.result as { payload: Record<string, any> }).payload;
    expect(context).toMatchObject({
      functionName: 'esm',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:esm`,
      memoryLimitInMB: '128',
      awsRequestId: record.requestId,
      logGroupName: '/aws/lambda/esm',
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.remaining).toBeGreaterThan(0);
    expect(context.remaining).toBeLessThanOrEqual(3000);
    expect(record).toMatchObject({ statusCode: 200, executedVersion: '$LATEST' });
  });

  it('accepts the function by ARN and by qualified ARN, and reports the ARN it was invoked with', async () => {
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:esm`;
    expect((await payloadOf(arn, { action: 'describe' })).context.invokedFunctionArn).toBe(arn);
    expect((await payloadOf(`${arn}:$LATEST`, { action: 'describe' })).context.invokedFunctionArn).toBe(`${arn}:$LATEST`);
    expect((await payloadOf(`${ACCOUNT}:function:esm`, { action: 'describe' })).context.functionName).toBe('esm');
  });

  it('refuses an unknown function, version or account with ResourceNotFoundException', async () => {
    expect(await call('nope', {})).toEqual({ ok: false, errorType: 'ResourceNotFoundException', errorMessage: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:nope` });
    expect(await call('esm:7', {})).toMatchObject({ ok: false, errorType: 'ResourceNotFoundException' });
    expect(await call('arn:aws:lambda:us-east-1:111111111111:function:esm', {})).toMatchObject({ ok: false, errorType: 'ResourceNotFoundException' });
  });
});

describe('loading handlers', () => {
  it('keeps a warm environment: the module loads once and its state survives', async () => {
    const first = await payloadOf('cjs', { name: 'ada' });
    const second = await payloadOf('cjs', { name: 'bob' });
    expect(first).toEqual({ message: 'hello ada', invocations: 1, moduleType: 'object' });
    expect(second.invocations).toBe(2);
    const reports = logs.lines.filter((line) => line.startsWith('[cjs] REPORT'));
    expect(reports).toHaveLength(2);
    expect(reports[0]).toContain('Init Duration:');
    expect(reports[1]).not.toContain('Init Duration:');
    // The worker's heap as the invoke ended comes with its result.
    for (const report of reports) expect(report).toMatch(/\tMax Memory Used: [1-9]\d* MB/);
  });

  it('runs CommonJS .js code as CommonJS although the project above says "type": "module"', async () => {
    expect((await payloadOf('cjs', { name: 'x' })).moduleType).toBe('object');
  });

  it('finds handlers in sub-folders, by dotted export paths and under the default export', async () => {
    expect(await payloadOf('nested', { a: 1 })).toEqual({ nested: true, event: { a: 1 } });
    expect(await call('from-default', {})).toEqual({ ok: true, payload: 'from default export' });
  });

  it('reports init failures with the runtime’s error types', async () => {
    expect(await call('not-exported', {})).toMatchObject({ ok: false, errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.nothing is undefined or not exported' });
    expect(await call('missing-file', {})).toMatchObject({ ok: false, errorType: 'Runtime.ImportModuleError' });
    expect(await call('syntax-error', {})).toMatchObject({ ok: false, errorType: 'Runtime.UserCodeSyntaxError', errorMessage: expect.stringMatching(/^SyntaxError: /) });
  });
});

describe('callback handlers', () => {
  it('answers once the event loop is empty while callbackWaitsForEmptyEventLoop is true', async () => {
    const record = await service.invokeWithRecord('callback', { timerMs: 100 }, { invocationType: 'RequestResponse' });
    expect(record.result).toEqual({ ok: true, payload: { via: 'callback', timerFiredAtCallback: false } });
    const lines = logs.lines.filter((line) => line.startsWith('[callback]'));
    const timer = lines.findIndex((line) => line.includes(`${record.requestId}\tINFO\ttimer fired`));
    const end = lines.indexOf(`[callback] END RequestId: ${record.requestId}`);
    expect(timer).toBeGreaterThanOrEqual(0);
    expect(timer).toBeLessThan(end);
  });

  it('answers at once when the handler sets callbackWaitsForEmptyEventLoop = false', async () => {
    const record = await service.invokeWithRecord('callback', { action: 'no-wait', timerMs: 300 }, { invocationType: 'RequestResponse' });
    expect(record.result.ok).toBe(true);
    // The timer belongs to no invoke by the time it fires.
    expect(linesOf(record.requestId).some((line) => line.includes('timer fired'))).toBe(false);
    expect(linesOf(record.requestId).some((line) => line.includes('END RequestId'))).toBe(true);
  });

  it('reports callback(error), context.succeed, and a handler that never calls back (null)', async () => {
    expect(await call('callback', { action: 'error' })).toMatchObject({ ok: false, errorType: 'Error', errorMessage: 'callback error' });
    expect(await call('callback', { action: 'succeed' })).toEqual({ ok: true, payload: { via: 'succeed' } });
    expect(await call('silent', {})).toEqual({ ok: true, payload: null });
  });

  it('refuses callback handlers on nodejs24.x, as Lambda does', async () => {
    expect(await call('callback-on-24', {})).toMatchObject({ ok: false, errorType: 'Runtime.CallbackHandlerDeprecated', errorMessage: expect.stringContaining('starting with Node.js 24') });
  });
});

describe('errors as Lambda reports them', () => {
  it('gives a thrown Error’s name, message and stack', async () => {
    const result = await call('esm', { action: 'throw', name: 'ValidationError', message: 'bad margin' });
    expect(result).toMatchObject({ ok: false, errorType: 'ValidationError', errorMessage: 'bad margin' });
    expect((result as { trace: string[] }).trace[0]).toBe('ValidationError: bad margin');
  });

  it('gives a thrown non-Error its typeof and string form', async () => {
    expect(await call('esm', { action: 'throw-string' })).toEqual({ ok: false, errorType: 'string', errorMessage: 'just a string', trace: [] });
  });

  it('fails the invoke on an unhandled rejection or an uncaught exception, and starts a fresh environment after', async () => {
    expect(await call('esm', { action: 'unhandled-rejection' })).toMatchObject({ ok: false, errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody awaits me' });
    expect((await payloadOf('esm', { action: 'describe' })).invocations).toBe(1);
    expect(await call('esm', { action: 'uncaught' })).toMatchObject({ ok: false, errorType: 'TypeError', errorMessage: 'thrown from a timer' });
    expect((await payloadOf('esm', { action: 'describe' })).invocations).toBe(1);
  });

  it('reports a process exit as Runtime.ExitError', async () => {
    const record = await service.invokeWithRecord('esm', { action: 'exit', code: 3 }, { invocationType: 'RequestResponse' });
    expect(record).toMatchObject({ statusCode: 200, functionError: 'Unhandled' });
    expect(record.result).toMatchObject({ ok: false, errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${record.requestId} Error: Runtime exited with error: exit status 3` });
  });

  it('ends only the crashing environment: a concurrent invoke of the same function completes', async () => {
    const slow = call('esm', { action: 'sleep', ms: 400 });
    const crash = call('esm', { action: 'exit', code: 9 });
    expect(await crash).toMatchObject({ ok: false, errorType: 'Runtime.ExitError' });
    expect(await slow).toMatchObject({ ok: true, payload: { slept: 400 } });
  });

  it('times out as Lambda does and replaces the environment', async () => {
    const record = await service.invokeWithRecord('short', { action: 'sleep', ms: 5000 }, { invocationType: 'RequestResponse' });
    expect(record.result).toEqual({ ok: false, errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${record.requestId} Error: Task timed out after 1.00 seconds`, trace: [] });
    expect(record.functionError).toBe('Unhandled');
    const lines = linesOf(record.requestId);
    expect(lines.some((line) => line.endsWith(`${record.requestId} Task timed out after 1.00 seconds`))).toBe(true);
    expect(lines.find((line) => line.includes('REPORT'))).toContain('Status: timeout');
    expect((await payloadOf('short', { action: 'describe' })).invocations).toBe(1);
  });

  it('reports a promise that can never settle once nothing else is left to run', async () => {
    expect(await call('esm', { action: 'never-settles' })).toMatchObject({ ok: false, errorType: 'Runtime.NodeJsExit' });
  });

  it('answers null for undefined and fails a result that is not JSON', async () => {
    expect(await call('esm', { action: 'undefined' })).toEqual({ ok: true, payload: null });
    expect(await call('esm', { action: 'circular' })).toMatchObject({ ok: false, errorType: 'Runtime.JSONStringifyError', errorMessage: 'Unable to stringify response body' });
  });

  it('enforces the 6 MB payload limits', async () => {
    expect(await call('esm', { action: 'big', bytes: 6_300_000 })).toMatchObject({ ok: false, errorType: 'Function.ResponseSizeTooLarge' });
    expect(await call('esm', { action: 'echo', pad: 'x'.repeat(6_300_000) })).toMatchObject({ ok: false, errorType: 'RequestTooLargeException' });
  });
});

describe('logs', () => {
  it('prefixes a function’s output with its name, between START, END and REPORT lines', async () => {
    const record = await service.invokeWithRecord('esm', { action: 'log' }, { invocationType: 'RequestResponse' });
    const lines = linesOf(record.requestId);
    expect(lines[0]).toBe(`[esm] START RequestId: ${record.requestId} Version: $LATEST`);
    expect(lines[1]).toMatch(new RegExp(`^\\[esm\\] \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${record.requestId}\\tINFO\\thello from esm$`));
    expect(lines[2]).toMatch(/\tERROR\tan error line$/);
    expect(lines[3]).toBe(`[esm] END RequestId: ${record.requestId}`);
    expect(lines[4]).toMatch(new RegExp(`^\\[esm\\] REPORT RequestId: ${record.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB`));
  });
});

describe('concurrency', () => {
  it('throttles synchronous invokes beyond reserved concurrency with TooManyRequestsException', async () => {
    const [a, b] = await Promise.all([
      service.invokeWithRecord('reserved-one', { action: 'sleep', ms: 300 }, { invocationType: 'RequestResponse' }),
      service.invokeWithRecord('reserved-one', { action: 'sleep', ms: 300 }, { invocationType: 'RequestResponse' }),
    ]);
    const throttled = [a, b].filter((r) => !r.result.ok);
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ statusCode: 429, result: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' } });
    expect(throttled[0]!.functionError).toBeUndefined();
  });

  it('queues Event invokes beyond reserved concurrency instead of failing them', async () => {
    const records = await Promise.all([1, 2, 3].map(() => service.invokeWithRecord('reserved-one', { action: 'sleep', ms: 50 }, { invocationType: 'Event' })));
    for (const record of records) expect(record).toMatchObject({ statusCode: 202, result: { ok: true, payload: null } });
    await Promise.all(records.map((r) => logs.waitFor((line) => line.startsWith(`[reserved-one] REPORT RequestId: ${r.requestId}`))));
    for (const record of records) expect(linesOf(record.requestId).some((line) => line.includes('Status: error'))).toBe(false);
  });

  it('refuses every invoke when reserved concurrency is 0', async () => {
    expect(await call('reserved-zero', {})).toMatchObject({ ok: false, errorType: 'TooManyRequestsException' });
  });

  it('makes invokes beyond the local cap wait for a free environment', async () => {
    const capped = startLambdaService({
      functions: [lambdaFunction('capped')],
      region: REGION,
      accountId: ACCOUNT,
      credentialsFor: () => undefined,
      endpoints: {},
      log: () => {},
      localConcurrency: 1,
    });
    try {
      const results = await Promise.all([1, 2, 3].map(() => capped.invoke('capped', { action: 'sleep', ms: 50 }, { invocationType: 'RequestResponse' })));
      // One environment served all three, one after the other.
      expect(results.map((r) => (r as { payload: { invocations: number } }).payload.invocations).sort()).toEqual([1, 2, 3]);
    } finally {
      await capped.stop();
    }
  });
});

describe('Event invocations', () => {
  it('returns at once with a null payload and logs a failure', async () => {
    const record = await service.invokeWithRecord('esm', { action: 'throw', message: 'async boom' }, { invocationType: 'Event' });
    expect(record).toMatchObject({ statusCode: 202, result: { ok: true, payload: null } });
    const line = await logs.waitFor((l) => l.includes(`Event invoke ${record.requestId} failed`));
    expect(line).toBe(`[esm] Event invoke ${record.requestId} failed: Error: async boom`);
  });

  it('does not wait for the function to finish', async () => {
    const record = await service.invokeWithRecord('esm', { action: 'sleep', ms: 500 }, { invocationType: 'Event' });
    expect(linesOf(record.requestId).some((line) => line.includes('END RequestId'))).toBe(false);
    await logs.waitFor((line) => line === `[esm] END RequestId: ${record.requestId}`);
  });
});

describe('stop', () => {
  it('ends every worker and refuses later invokes', async () => {
    const ownLogs = logCollector();
    const own = startLambdaService({ functions: [lambdaFunction('brief')], region: REGION, accountId: ACCOUNT, credentialsFor: () => undefined, endpoints: {}, log: ownLogs.log });
    const slow = own.invoke('brief', { action: 'sleep', ms: 10_000 }, { invocationType: 'RequestResponse' });
    // Stop while the handler runs, not before its worker has even started.
    await ownLogs.waitFor((line) => line.startsWith('[brief] START RequestId'));
    await own.stop();
    expect(await slow).toMatchObject({ ok: false, errorType: 'Runtime.ExitError' });
    expect(await own.invoke('brief', {}, { invocationType: 'RequestResponse' })).toMatchObject({ ok: false, errorType: 'ServiceException' });
  });
});
