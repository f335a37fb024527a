import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './test-runtime.ts';

/**
 * The partner tools as a partner runs them — separate processes, reading the credentials and
 * outputs files the runtime wrote — against the running local runtime: `ingestFeed` is allowed
 * to the partner role, `publishPriceUpdate` is refused to it.
 */

const run = promisify(execFile);
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime?.stop());

function cli(script: string, args: string[]) {
  const files = ['--credentials', runtime.credentialsPath, '--outputs', runtime.outputsPath];
  return run(process.execPath, [join('client', script), ...args, ...files], { env: { ...process.env, NO_COLOR: '1' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

describe('npm run partner / npm run feed against the local runtime', () => {
  it('ingests a message with the partner credentials', async () => {
    const message = JSON.stringify({ feedId: 'cli-feed', sequence: 1, type: 'EVENT', event: { eventId: 'evt-cli', name: 'CLI v Tests', sport: 'tennis', startTime: '2026-07-01T12:00:00Z', status: 'SCHEDULED' } });
    const result = await cli('partner-cli.ts', ['ingest', '--message', message]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/cli-feed#1\s+ACCEPTED/);
    expect(result.stdout).toMatch(/accepted 1, duplicates 0, stale 0, rejected 0/);
  });

  it('is refused publishPriceUpdate for the same partner credentials', async () => {
    const result = await cli('partner-cli.ts', ['publish-price', '--market', 'mkt-x', '--event', 'evt-cli']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/refused, as it must be: Unauthorized: Not Authorized to access publishPriceUpdate on type Mutation/);
  });

  it('replays the sample feed with its duplicates, late and malformed messages', async () => {
    const result = await cli('feed-cli.ts', [join('client', 'feeds', 'sample-feed.json'), '--rate', '200']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/accepted 26, duplicate 2, stale 1, rejected 2/);
  });
});
