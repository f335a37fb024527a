// One request's share of the event loop. graphql-js starts every field of a selection set in
// one synchronous pass, so a query with 1,000 aliased resolver fields would run 1,000 request
// handlers and start 1,000 data-source calls before any other client's request, socket read or
// keep-alive timer got a turn (seconds, measured by bench/isolation.ts). The gate lets a request
// run at most `limit` resolvers at once and starts each queued one in a macrotask of its own,
// so other work interleaves with a heavy request instead of waiting behind it.

/** Resolver fields one request may have in flight; AppSync's own parallelism is not documented. */
export const RESOLVERS_IN_FLIGHT_PER_REQUEST = 16;

/**
 * One per request, so a class: its methods are shared rather than made per request as closures
 * (a `ping` request makes one and runs one task through it).
 */
export class RequestGate {
  #running = 0;
  readonly #queue: (() => void)[] = [];
  readonly #limit: number;
  readonly #release = () => {
    this.#running--;
    const next = this.#queue.shift();
    if (next) {
      // The freed slot is the queued task's: nothing started meanwhile may take it.
      this.#running++;
      setImmediate(next);
    }
  };

  constructor(limit = RESOLVERS_IN_FLIGHT_PER_REQUEST) {
    this.#limit = limit;
  }

  /** Runs `task` when one of the request's slots is free. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.#limit) {
      this.#running++;
      return this.#start(task);
    }
    return new Promise<T>((resolve, reject) => this.#queue.push(() => void this.#start(task).then(resolve, reject)));
  }

  // `task` is an async function: it settles its promise rather than throwing. Its slot is already taken.
  #start<T>(task: () => Promise<T>): Promise<T> {
    const result = task();
    result.then(this.#release, this.#release);
    return result;
  }
}
