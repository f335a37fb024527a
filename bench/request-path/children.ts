/** The benchmarks' child processes: forking them and waiting for what they report. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LoadRequest } from './load.ts';
import type { LoadResult } from './protocol.ts';

const bench = join(import.meta.dirname, '..');

/** The next message of `type` from `child`; fails if the child exits first. */
export function next<T extends { type: string }>(child: ChildProcess, type: T['type']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      if (message.type !== type) return;
      child.off('message', onMessage).off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`${child.spawnfile} ${child.spawnargs.slice(-3).join(' ')} exited (${code}) before '${type}'`));
    child.on('message', onMessage).once('exit', onExit);
  });
}

/** Forks a script of bench/ (a path relative to it) with an IPC channel. */
export const forkChild = (file: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env, nodeFlags: string[] = []) =>
  fork(join(bench, file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env, execArgv: [...process.execArgv, ...nodeFlags] });

/**
 * The Node flags the runtime runs with under `npm start` and `npm run local` (package.json): a
 * 32 MB semi-space for the young generation (above V8's own default) makes a busy request path
 * stop for scavenges less often; they were most of its p99 (ping at 32 in flight: 10–12 ms → 6.5–8 ms).
 */
export const RUNTIME_NODE_FLAGS = ['--max-semi-space-size=32'];

/** One run of the load generator, in a process of its own. */
export async function load(request: LoadRequest): Promise<LoadResult> {
  const child = forkChild('request-path/load.ts');
  const done = next<LoadResult>(child, 'load-done');
  child.send(request);
  const result = await done;
  child.disconnect();
  return result;
}

