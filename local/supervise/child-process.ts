import type { ChildExit } from '../dynamodb/server.ts';

/** A child service as its starter returns it: a process that may die. */
export interface ChildService {
  pid: number;
  port: number;
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

export interface SuperviseOptions<C extends ChildService> {
  /** How the log names it, e.g. `dynamodb-local`. */
  name: string;
  first: C;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<C>;
  /** What a restart keeps and loses, said in the line that reports the death. */
  dataNote: string;
  /** Re-creates what must exist (tables, pools, users) once it answers again; returns a summary. */
  reprovision(child: C): Promise<string>;
  log(line: string): void;
  /** Restart attempts before giving up; default 10, 0.5 s apart and then up to 5 s. */
  maxAttempts?: number;
}

/** How long a child killed by SIGINT/SIGTERM waits for the runtime's own stop before it is restarted. */
export const STOP_SIGNAL_GRACE_MS = 1_000;

export type SupervisedState = 'running' | 'restarting' | 'failed' | 'stopped';

export interface Supervisor<C extends ChildService> {
  current(): C;
  state(): SupervisedState;
  /** Restarts completed since the start. */
  restarts(): number;
  /** Resolves once it runs again after a restart in progress (or at once when running). */
  whenRunning(): Promise<void>;
  /** Stops the current process; a death after this is not reported or restarted. */
  stop(): Promise<void>;
}

/**
 * Watches a child service: when it dies without being asked to, says so in one line (what died,
 * how, that it restarts, what happens to its data), starts it again on the same port and
 * re-provisions it. Requests meanwhile fail fast at the caller's end (connection refused), and
 * the callers turn that into a retryable error.
 */
export function superviseChild<C extends ChildService>(options: SuperviseOptions<C>): Supervisor<C> {
  const maxAttempts = options.maxAttempts ?? 10;
  let child = options.first;
  let state: SupervisedState = 'running';
  let restarts = 0;
  let running: Promise<void> = Promise.resolve();
  // A function, not a comparison: stop() may change the state across every await below.
  const stopped = () => state === 'stopped';

  const watch = (watched: C) => {
    watched.exited.then(async (exit) => {
      // Ctrl-C reaches the whole process group, so the child may die of SIGINT (or SIGTERM)
      // just before the runtime's own shutdown stops the supervisor: give that a moment.
      if (exit.signal === 'SIGINT' || exit.signal === 'SIGTERM') await new Promise((resume) => setTimeout(resume, STOP_SIGNAL_GRACE_MS));
      if (state === 'stopped' || watched !== child) return;
      state = 'restarting';
      const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
      options.log(`${options.name} (pid ${watched.pid}) died (${how}); restarting it on port ${watched.port}: ${options.dataNote}`);
      running = restartLoop(Date.now());
    });
  };

  async function restartLoop(diedAt: number): Promise<void> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (stopped()) return;
      let next: C | undefined;
      try {
        next = await options.restart();
        if (stopped()) {
          await next.stop();
          return;
        }
        child = next;
        const summary = await options.reprovision(next);
        state = 'running';
        restarts += 1;
        watch(next);
        options.log(`${options.name} is back on port ${next.port} (pid ${next.pid}) after ${Date.now() - diedAt} ms${summary ? `: ${summary}` : ''}`);
        return;
      } catch (error) {
        // A process that started but could not be provisioned would hold the port of the next attempt.
        await next?.stop().catch(() => {});
        options.log(`${options.name}: restart attempt ${attempt} of ${maxAttempts} failed: ${(error as Error).message}`);
        await new Promise((resume) => setTimeout(resume, Math.min(500 * attempt, 5_000)));
      }
    }
    state = 'failed';
    options.log(`${options.name} could not be restarted after ${maxAttempts} attempts; requests that need it will keep failing until the runtime is restarted`);
  }

  watch(child);
  return {
    current: () => child,
    state: () => state,
    restarts: () => restarts,
    whenRunning: () => running,
    stop: async () => {
      state = 'stopped';
      await running.catch(() => {});
      await child.stop();
    },
  };
}
