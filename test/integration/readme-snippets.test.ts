import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEvent } from '../../client/demo/demo-feed.ts';
import { runDemoFeed, type DemoFeedRunner } from '../../client/demo/run-demo-feed.ts';
import { openDemoEvent } from '../support/pricestream.ts';
import { eventually, startTestRuntime, type TestRuntime } from './test-runtime.ts';

/**
 * The README's "Live markets in a phone or Node app" Node snippet, run exactly as written: its
 * code saved as live.ts in a folder laid out like the project (sdk/ and node_modules/ linked,
 * .local/ holding this runtime's outputs and CA), and its command run by a shell there, while the
 * demo feed publishes.
 */

const PROJECT = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(join(PROJECT, 'README.md'), 'utf8');

function nodeSnippet(): { code: string; command: string } {
  const section = readme.slice(readme.indexOf('## Live markets in a phone or Node app'));
  const node = section.slice(section.indexOf('### Node'), section.indexOf('### Phone'));
  const code = /```ts\n([\s\S]*?)```/.exec(node)?.[1];
  const command = /```sh\n([\s\S]*?)```/.exec(node)?.[1]?.trim();
  if (!code || !command) throw new Error('README.md: the Node part of "Live markets in a phone or Node app" needs a ```ts block and a ```sh block');
  return { code, command };
}

let runtime: TestRuntime;
let feed: DemoFeedRunner;
let folder: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  const { feed: demo, partner } = await openDemoEvent(runtime, `readme-${Date.now()}`);
  feed = await runDemoFeed({ client: partner, feed: demo, intervalMs: 1_000, reportEveryMs: 3_600_000, log: () => {} });
  folder = mkdtempSync(join(tmpdir(), 'readme-snippet-'));
  symlinkSync(join(PROJECT, 'sdk'), join(folder, 'sdk'));
  symlinkSync(join(PROJECT, 'node_modules'), join(folder, 'node_modules'));
  mkdirSync(join(folder, '.local', 'tls'), { recursive: true });
  copyFileSync(runtime.outputsPath, join(folder, '.local', 'amplify_outputs.json'));
  copyFileSync(process.env.NODE_EXTRA_CA_CERTS!, join(folder, '.local', 'tls', 'ca.pem'));
});

afterAll(async () => {
  await feed?.stop();
  await runtime?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('README: live markets in a Node app', () => {
  it('the snippet, run with the command as written, prints the connection live and live prices of every demo market', async () => {
    const { code, command } = nodeSnippet();
    expect(command).toBe('NODE_EXTRA_CA_CERTS=.local/tls/ca.pem npx node live.ts');
    writeFileSync(join(folder, 'live.ts'), code);
    // Only what a newcomer's shell has: no test CA variable, no vitest environment.
    const { NODE_EXTRA_CA_CERTS: _ca, VITEST: _v, VITEST_WORKER_ID: _w, VITEST_POOL_ID: _p, NODE_OPTIONS: _o, ...env } = process.env;
    const child = spawn('sh', ['-c', command], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      await eventually(
        'the snippet to print the connection live and a live price line for every demo market',
        () => (out.includes('connection: live') && demoEvent.markets.every((m) => new RegExp(`^${m.name} v\\d+ live: .+ \\d`, 'm').test(out)) ? true : undefined),
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nstdout:\n${out}\nstderr:\n${err}`);
      });
      expect(err).toBe('');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  }, 90_000);
});
