/** How long a child service (DynamoDB Local, cognito-local) may take to start. */
export interface StartupWait {
  /** After this long, the log says that it is not ready yet and that the runtime waits on. */
  slowMs: number;
  /** After this long, the start fails. */
  limitMs: number;
}

/**
 * Alone, DynamoDB Local answers in ~2 s and cognito-local in under 1 s. On a machine whose cores
 * are all busy (a CI runner, a test suite beside them) the same start has taken more than 30 s of
 * wall time with nothing wrong, so 30 s only earns a line in the log; a start that has not
 * finished after 120 s is taken to be stuck.
 */
export const STARTUP_WAIT: StartupWait = { slowMs: 30_000, limitMs: 120_000 };

/**
 * Watches one start: after `wait.slowMs` it logs, once, `<service>: <notYet> after N s (is the
 * machine busy?); waiting up to M s`; after `wait.limitMs` it calls `giveUp` with the limit in
 * seconds. The function it returns cancels both, and is called when the start ends either way.
 */
export function watchStartup(service: string, notYet: string, wait: StartupWait, log: (line: string) => void, giveUp: (limitSeconds: number) => void): () => void {
  const slow = setTimeout(() => log(`${service}: ${notYet} after ${wait.slowMs / 1000} s (is the machine busy?); waiting up to ${wait.limitMs / 1000} s`), wait.slowMs);
  const limit = setTimeout(() => giveUp(wait.limitMs / 1000), wait.limitMs);
  return () => {
    clearTimeout(slow);
    clearTimeout(limit);
  };
}
