import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ChildExit } from '../dynamodb/server.ts';
import { STARTUP_WAIT, watchStartup, type StartupWait } from '../supervise/startup-wait.ts';

export interface CognitoLocal {
  /** Endpoint for the Cognito Identity Provider API (SDK `endpoint`, Amplify `userPoolEndpoint`). */
  endpoint: string;
  /** Token issuers are `<issuerBase>/<userPoolId>`. */
  issuerBase: string;
  port: number;
  pid: number;
  /** Settles when the process has exited, however (a stop, a crash, a kill). */
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

/**
 * Starts cognito-local (an emulation of the Cognito user pools API that issues RS256 JWTs)
 * as a child process with its data under `dir`. The port is fixed before start because
 * cognito-local writes it into every token's issuer: a restart passes the same `port`, so
 * tokens already issued stay valid.
 */
export async function startCognitoLocal({ dir, port: fixedPort, log = () => {}, startupWait = STARTUP_WAIT }: { dir: string; port?: number; log?: (line: string) => void; startupWait?: StartupWait }): Promise<CognitoLocal> {
  mkdirSync(join(dir, '.cognito'), { recursive: true });
  // cognito-local defaults every pool to email sign-in; Cognito's default is usernames, and a
  // pool that wants email says so in the template.
  writeFileSync(join(dir, '.cognito', 'config.json'), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const port = fixedPort ?? (await freePort());
  const entry = join(createRequire(import.meta.url).resolve('cognito-local/package.json'), '..', 'lib', 'bin', 'start.js');
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopChild = () => stopProcess(child);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<ChildExit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  exited.then(() => process.removeListener('exit', killOnExit));

  let output = '';
  await new Promise<void>((ready, fail) => {
    const stopWatching = watchStartup('cognito-local', `not started on port ${port}`, startupWait, log, (seconds) => fail(new Error(`cognito-local did not start within ${seconds} s:\n${output}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Cognito Local running on')) {
        stopWatching();
        ready();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      stopWatching();
      fail(new Error(`cognito-local exited with ${code} while starting:\n${output}`));
    });
  }).catch(async (error: Error) => {
    await stopChild();
    throw error;
  });
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  // Keep draining its log so the pipe never fills; errors are worth showing.
  child.stdout!.on('data', () => {});
  child.stderr!.on('data', (chunk: Buffer) => log(`cognito-local: ${chunk.toString().trim()}`));
  const endpoint = `http://127.0.0.1:${port}`;
  log(`cognito-local on ${endpoint}`);
  return { endpoint, issuerBase: endpoint, port, pid: child.pid!, exited, stop: stopChild };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
