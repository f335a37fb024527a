// One request's share of the event loop. graphql-js starts every field of a selection set in
// one synchronous pass, so a query with 1,000 aliased resolver fields would run 1,000 request
// handlers and start 1,000 data-source calls before any other client's request, socket read or
// keep-alive timer got a turn (seconds, measured by bench/isolation.ts). The gate lets a request
// run at most `limit` resolvers at once and starts each queued one in a macrotask of its own,
// so other work interleaves with a heavy request instead of waiting behind it.

export interface RequestGate {
  /** Runs `task` when one of the request's slots is free. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** Resolver fields one request may have in flight; AppSync's own parallelism is not documented. */
export const RESOLVERS_IN_FLIGHT_PER_REQUEST = 16;

export function createRequestGate(limit = RESOLVERS_IN_FLIGHT_PER_REQUEST): RequestGate {
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    running--;
    const next = queue.shift();
    if (next) {
      running++;
      setImmediate(next);
    }
  };
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const start = (resolve: (value: T) => void, reject: (error: unknown) => void) => () => {
        task().then(resolve, reject).finally(release);
      };
      return new Promise<T>((resolve, reject) => {
        if (running < limit) {
          running++;
          start(resolve, reject)();
        } else queue.push(start(resolve, reject));
      });
    },
  };
}
