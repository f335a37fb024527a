import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';

/**
 * The runtime as a user gets it: `npm pack` of the workspace package, installed from the
 * tarball into a fresh CDK TypeScript app that is not Pricestream (test/fixtures/fresh-cdk-app:
 * notes in DynamoDB behind JS resolvers, a Lambda data source, a Cognito user pool, a
 * subscription). `npx appsync-local` synthesizes and serves it; `npx appsync-local --assembly
 * cdk.out` serves what the app's own `cdk synth` wrote. An aws-amplify v6 client from the app's
 * node_modules signs in, queries and receives a subscription over wss://. Nothing here runs
 * from the source tree. The app's other dependencies come from the npm cache (or registry),
 * at the versions this repo uses.
 */

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const fixture = join(repo, 'test', 'fixtures', 'fresh-cdk-app');
const versionOf = (name: string) => (createRequire(join(repo, 'package.json'))(`${name}/package.json`) as { version: string }).version;

// npm scripts run on the project's Node 24; so do the app's `node` and npx's bins here.
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, CDK_DISABLE_VERSION_CHECK: '1' };
delete env.NODE_OPTIONS;

let root: string;
let app: string;
let tarball: string;
let packedFiles: string[];
const runtimes: ChildProcess[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'package-tarball-'));
  const packed = await run('npm', ['pack', '--workspace', 'appsync-local-runtime', '--pack-destination', root, '--json'], { cwd: repo, env, maxBuffer: 16 << 20 });
  const [report] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(root, report!.filename);
  packedFiles = report!.files.map((f) => f.path);

  app = join(root, 'notes-app');
  cpSync(fixture, app, { recursive: true });
  // aws-sdk v2 (under cognito-local) has a postinstall that only prints a notice: not needed.
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'notes-app', private: true, type: 'module', allowScripts: { 'aws-sdk': false } }, null, 2));
  const dependencies = ['aws-cdk-lib', 'constructs', 'aws-cdk', 'aws-amplify', '@types/node'].map((name) => `${name}@${versionOf(name)}`);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...dependencies], { cwd: app, env, maxBuffer: 16 << 20 });
}, 600_000);

// The app's node_modules is ~40,000 files. Removed synchronously beside the rest of the suite,
// it once held this worker past the 120 s hook limit; asynchronously it blocks nothing, and the
// hook allows what a disk shared with the suite may need.
afterAll(async () => {
  await Promise.all(runtimes.map(stop));
  if (root) await rm(root, { recursive: true, force: true });
}, 600_000);

/** `npx appsync-local …` in the app folder, in its own process group; resolves once it says ready. */
async function startRuntime(args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('npx', ['--no', '--', 'appsync-local', '--in-memory', '--port', '0', '--user', 'alice:Passw0rd!', ...args], { cwd: app, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  runtimes.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually('appsync-local to print "ready"', () => (output.includes('ready — Ctrl-C stops everything') ? true : child.exitCode !== null ? Promise.reject(new Error(output)) : undefined), 240_000);
  return { child, output: () => output };
}

/** SIGTERM to the whole group, as Ctrl-C would; resolves when no process of it is left (JVM and cognito-local included). */
async function stop(child: ChildProcess): Promise<void> {
  if (!isGroupAlive(child.pid!)) return;
  process.kill(-child.pid!, 'SIGTERM');
  await eventually('every process of the runtime to exit', () => (isGroupAlive(child.pid!) ? undefined : true), 30_000);
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The app's own aws-amplify v6 client (test/fixtures/fresh-cdk-app/client.ts), trusting the runtime's local CA. */
async function amplifyClient(stateDir: string) {
  const { stdout } = await run(process.execPath, ['client.ts', join(stateDir, 'amplify_outputs.json'), 'alice', 'Passw0rd!'], {
    cwd: app,
    env: { ...env, NODE_EXTRA_CA_CERTS: join(stateDir, 'tls', 'ca.pem') },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { signedIn: boolean; added: string[]; received: unknown[]; read: unknown; shouted: string; errors: string[] };
}

function expectTheAppWorks(result: Awaited<ReturnType<typeof amplifyClient>>) {
  expect(result.errors).toEqual([]);
  expect(result.signedIn).toBe(true);
  // The client adds notes until its subscription delivers one: a note added before AppSync
  // acknowledged the start is not delivered, so the first received is any note it added.
  const id = (result.received[0] as { id?: string } | undefined)?.id;
  expect(result.added).toContain(id);
  const first = { id, text: `hello ${id}`, author: 'alice' };
  expect(result.received[0]).toEqual(first);
  expect(result.read).toEqual(first);
  expect(result.shouted).toBe('HI! (alice)');
}

describe('the packed appsync-local-runtime in a fresh CDK app', () => {
  it('ships compiled JavaScript with declarations, the bin, README and LICENSE, and no TypeScript sources', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/appsync-local.cjs', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'dist/lambda/worker/bootstrap.js']));
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('prints its version, and on a Node older than 22 says so in one line and exits non-zero', async () => {
    expect((await run('npx', ['--no', '--', 'appsync-local', '--version'], { cwd: app, env })).stdout.trim()).toBe('0.1.0');
    const bin = join(app, 'node_modules', 'appsync-local-runtime', 'bin', 'appsync-local.cjs');
    const old = `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.11.1' } }); require(${JSON.stringify(bin)});`;
    const refused = await run(process.execPath, ['-e', old], { cwd: app, env }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1, stderr: 'appsync-local needs Node.js 22 or newer (22 and 24 are supported); this is Node.js 20.11.1.\n' });
  });

  it('type-checks a TypeScript consumer against the shipped declarations', async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      "import { startLocalRuntime, type LocalRuntime } from 'appsync-local-runtime';\nconst runtime: LocalRuntime = await startLocalRuntime({ assemblyDir: 'cdk.out', port: 0 });\nconst port: number = runtime.apis[0]!.port;\nconsole.log(port);\n",
    );
    await run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2023', '--types', 'node', 'consumer.ts'], { cwd: app, env });
  }, 120_000);

  it('`npx appsync-local` synthesizes the app of cdk.json and serves it to aws-amplify v6 over https and wss', async () => {
    const runtime = await startRuntime([]);
    expect(runtime.output()).toContain('synthesizing the CDK app (node bin/app.ts)');
    expectTheAppWorks(await amplifyClient(join(app, '.local')));
    await stop(runtime.child);
    expect(runtime.output()).toContain('SIGTERM: stopping…');
  }, 300_000);

  it('`npx appsync-local --assembly cdk.out` serves the assembly the app\'s own `cdk synth` wrote', async () => {
    await run('npx', ['--no', '--', 'cdk', 'synth', '--quiet'], { cwd: app, env });
    const runtime = await startRuntime(['--assembly', 'cdk.out', '--state-dir', '.local-assembly']);
    expect(runtime.output()).not.toContain('synthesizing');
    expectTheAppWorks(await amplifyClient(join(app, '.local-assembly')));
    await stop(runtime.child);
    expect(runtime.output()).toContain('SIGTERM: stopping…');
  }, 300_000);
});
