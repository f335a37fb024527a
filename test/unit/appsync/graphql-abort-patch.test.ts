/**
 * patches/graphql+17.1.0.patch, applied by `npm ci` (the postinstall script runs patch-package):
 * graphql 17.1 aborts each execution's own AbortController when the execution ends, without a
 * reason, so Node builds a DOMException, stack trace and all, for every request. The patch
 * passes graphql's own prebuilt abort reason instead. On the request path that DOMException
 * was about a quarter of the runtime's CPU (ping at 32 in flight, runs taking turns: 14.2–14.9k
 * → 19.0–19.6k req/s; README, "Benchmarks"). The patch covers both of graphql's builds
 * (Executor.mjs, which the runtime loads, and Executor.js); patch-package applies it whole or not
 * at all, so checking the build this test loads checks the install. These tests fail if the
 * patch is not applied, so a fresh install that skipped it is caught.
 */
import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';

const schema = buildSchema('type Query { now: Int later: Int }');

/** Runs `{ now later }`, one field sync and one async, keeping the execution's abort signal (graphql's default resolver calls a root function as (args, context, info)). */
async function signalAfterExecution(): Promise<AbortSignal> {
  let signal: AbortSignal | undefined;
  const rootValue = {
    now: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      signal = info.getAbortSignal();
      return 1;
    },
    later: async () => 2,
  };
  const result = await execute({ schema, document: parse('{ now later }'), rootValue });
  expect(result).toEqual({ data: { now: 1, later: 2 } });
  if (!signal) throw new Error('the resolver never ran');
  return signal;
}

describe('graphql 17.1 with patches/graphql+17.1.0.patch', () => {
  it('still aborts the execution’s signal once the result is built, so late resolver work can stop', async () => {
    const signal = await signalAfterExecution();
    expect(signal.aborted).toBe(true);
  });

  it('aborts it with graphql’s own prebuilt reason, not a new DOMException per execution', async () => {
    const first = await signalAfterExecution();
    const second = await signalAfterExecution();
    expect(first.reason).not.toBeInstanceOf(DOMException);
    expect(first.reason).toBeInstanceOf(Error);
    expect((first.reason as Error).message).toBe('This operation was aborted');
    expect(second.reason).toBe(first.reason);
  });
});
