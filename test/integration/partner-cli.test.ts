import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './test-runtime.ts';

/**
 * The partner tools as a partner runs them — separate processes, reading the credentials and
 * outputs files the runtime wrote — against the running local runtime: `ingestFeed` is allowed
 * to the partner role, `publishPriceUpdate` is refused to it and allowed to the publisher role,
 * and never sent into a live market or event without `--yes`.
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

  it('is refused publishPriceUpdate for the same partner credentials, and says so', async () => {
    const result = await cli('partner-cli.ts', ['publish-price', '--market', 'mkt-x', '--event', 'evt-x']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/refused: PartnerFeedRole\w+'s policy does not let it call publishPriceUpdate \(Unauthorized: Not Authorized to access publishPriceUpdate on type Mutation\); nothing was published/);
  });

  it("says the publisher role's policy allows publishing (the runtime enforces it), and never sends into a live event without --yes", async () => {
    const allowed = await cli('partner-cli.ts', ['publish-price', '--market', 'mkt-x', '--event', 'evt-x', '--role', 'PricePublisherRole']);
    expect(allowed, allowed.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(allowed.stdout).toMatch(/allowed: PricePublisherRole\w+'s policy lets it call publishPriceUpdate/);
    // evt-cli was created by the ingest above: a live event.
    const live = await cli('partner-cli.ts', ['publish-price', '--market', 'mkt-x', '--event', 'evt-cli', '--role', 'PricePublisherRole']);
    expect(live).toMatchObject({ code: 2, stdout: '' });
    expect(live.stderr).toMatch(/^not sent: event evt-cli exists \(SCHEDULED\)\./);
  });

  it('replays the sample feed with its duplicates, late and malformed messages', async () => {
    const result = await cli('feed-cli.ts', [join('client', 'feeds', 'sample-feed.json'), '--rate', '200']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/accepted 26, duplicate 2, stale 1, rejected 2/);
  });
});
