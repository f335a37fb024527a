import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointVariable, functionEnvironment, newLogStreamName } from '../../../local/lambda/environment.ts';
import { formatError, timeoutError } from '../../../local/lambda/errors.ts';
import { reportLine } from '../../../local/lambda/log-lines.ts';
import { outsideAnyPackage } from '../../../local/lambda/worker/package-scope.ts';
import { supportsCallbacks } from '../../../local/lambda/worker/load-handler.ts';
import { lambdaFunction } from './fixtures.ts';

describe('environment', () => {
  it('names endpoint variables as the SDK reads them', () => {
    expect(endpointVariable('DYNAMODB')).toBe('AWS_ENDPOINT_URL_DYNAMODB');
    expect(endpointVariable('dynamodb streams')).toBe('AWS_ENDPOINT_URL_DYNAMODB_STREAMS');
    expect(endpointVariable('Cognito-Identity-Provider')).toBe('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER');
  });

  it('lets Lambda’s variables win over the template’s', () => {
    const env = functionEnvironment(lambdaFunction('f', { environment: { AWS_LAMBDA_FUNCTION_NAME: 'spoofed', OWN: 'kept' } }), {
      region: 'eu-west-1',
      endpoints: {},
      logStreamName: newLogStreamName(new Date('2026-03-04T05:06:07Z')),
    });
    expect(env.AWS_LAMBDA_FUNCTION_NAME).toBe('f');
    expect(env.OWN).toBe('kept');
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^2026\/03\/04\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
  });
});

describe('error documents', () => {
  it('formats Errors, look-alikes and other values as the Node.js runtime does', () => {
    const error = new RangeError('too far');
    expect(formatError(error)).toEqual({ errorType: 'RangeError', errorMessage: 'too far', trace: error.stack!.split('\n') });
    expect(formatError({ name: 'Custom', message: 'm', stack: 'Custom: m\n  at x' })).toEqual({ errorType: 'Custom', errorMessage: 'm', trace: ['Custom: m', '  at x'] });
    expect(formatError(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
    expect(formatError(undefined)).toEqual({ errorType: 'undefined', errorMessage: 'undefined', trace: [] });
    expect(timeoutError('r-1', 30)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: r-1 Error: Task timed out after 30.00 seconds', trace: [] });
  });

  it('writes REPORT lines with Lambda’s fields', () => {
    expect(reportLine({ requestId: 'r', durationMs: 12.345, memoryMb: 256, maxMemoryUsedMb: 40, initDurationMs: 100.5 })).toBe(
      'REPORT RequestId: r\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 40 MB\tInit Duration: 100.50 ms',
    );
    expect(reportLine({ requestId: 'r', durationMs: 3000.2, memoryMb: 128, status: 'timeout' })).toContain('\tStatus: timeout');
  });
});

describe('runtime rules', () => {
  it('allows callback handlers up to nodejs22.x', () => {
    expect(supportsCallbacks('nodejs20.x')).toBe(true);
    expect(supportsCallbacks('nodejs22.x')).toBe(true);
    expect(supportsCallbacks('nodejs24.x')).toBe(false);
  });

  it('treats a .js file as outside any package only up to the code folder', () => {
    const code = mkdtempSync(join(tmpdir(), 'lambda-scope-'));
    mkdirSync(join(code, 'lib', 'pkg'), { recursive: true });
    writeFileSync(join(code, 'lib', 'pkg', 'package.json'), '{"type":"module"}');
    const root = code + sep;
    expect(outsideAnyPackage(join(code, 'index.js'), root)).toBe(true);
    expect(outsideAnyPackage(join(code, 'lib', 'util.js'), root)).toBe(true);
    expect(outsideAnyPackage(join(code, 'lib', 'pkg', 'index.js'), root)).toBe(false);
    expect(outsideAnyPackage(join(code, 'index.mjs'), root)).toBe(false);
    expect(outsideAnyPackage('/elsewhere/index.js', root)).toBe(false);
    writeFileSync(join(code, 'package.json'), '{}');
    expect(outsideAnyPackage(join(code, 'index.js'), root)).toBe(false);
  });
});
