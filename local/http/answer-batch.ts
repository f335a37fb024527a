import type { ServerResponse } from 'node:http';

/**
 * Answers finished in one turn of the event loop, written together at the end of the turn (its
 * check phase) instead of one by one as each is ready.
 *
 * Under load, Node runs the requests of every socket that turned readable in one poll of the
 * event loop, and each answer's write was a fifth to a third of the request path's CPU on a
 * 2-vCPU VM (a `--cpu-prof` of `ping` at 32 in flight: `writeUtf8String`, the loopback send,
 * 21–30%; about 10% written together). Written back to back, `ping` went from ~11,000 to ~15,000
 * req/s with its p99 no higher (bench/request-path.ts's servers and load generator, runs with and
 * without alternating). Why the writes get cheaper is not measured; the
 * likely cause is that a loopback write wakes the client's process, and writes that follow each
 * other closely find it awake. A lone request waits only for the rest of its own turn.
 */
export class AnswerBatch {
  #pending: { res: ServerResponse; body: string }[] = [];
  readonly #flush = () => {
    const answers = this.#pending;
    this.#pending = [];
    // A client that went away meanwhile has nobody to read its answer.
    for (const { res, body } of answers) if (!res.destroyed && !res.writableEnded) res.end(body);
  };

  /** Ends `res` with `body` at the end of this turn of the event loop; its head is already written or set. */
  end(res: ServerResponse, body: string): void {
    if (this.#pending.push({ res, body }) === 1) setImmediate(this.#flush);
  }
}
