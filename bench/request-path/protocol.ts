/** What the benchmark's child processes tell the orchestrator (bench/request-path.ts) over IPC. */
export interface ServerReady {
  type: 'ready';
  graphqlUrl: string;
  realtimeUrl: string;
  apiKey: string;
}

/** A load run's result, from bench/request-path/load.ts. */
export interface LoadResult {
  type: 'load-done';
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  p50: number;
  p99: number;
}

/** Sends `message` to the parent process, which forked this one with an IPC channel. */
export function tellParent(message: unknown): void {
  if (!process.send) throw new Error('this script is a child of bench/request-path.ts (run `npm run bench -- request-path`)');
  process.send(message);
}
