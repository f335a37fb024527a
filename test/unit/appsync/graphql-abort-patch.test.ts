/**
 * patches/graphql+17.1.0.patch, applied by `npm ci` (the postinstall script runs patch-package):
 * graphql 17.1 aborts each execution's own AbortController when the execution ends, without a
 * reason, so Node builds a DOMException, stack trace and all, for every request. The patch
 * passes graphql's own prebuilt abort reason instead, and makes the controller only when a
 * resolver asks for the signal (making and aborting one cost about 1 µs per execution, and the
 * runtime's resolvers never ask). On the request path that DOMException
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

  it('gives a resolver that asks for the signal only after the execution ended an aborted one', async () => {
    let getAbortSignal: GraphQLResolveInfo['getAbortSignal'] | undefined;
    const rootValue = {
      now: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        getAbortSignal = info.getAbortSignal;
        return 1;
      },
      later: async () => 2,
    };
    await execute({ schema, document: parse('{ now later }'), rootValue });
    const signal = getAbortSignal!()!;
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('This operation was aborted');
  });

  it('gives every resolver of one execution the same signal, live while the execution runs', async () => {
    const seen: { signal: AbortSignal; abortedThen: boolean }[] = [];
    const ask = (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      const signal = info.getAbortSignal()!;
      seen.push({ signal, abortedThen: signal.aborted });
      return 1;
    };
    await execute({ schema, document: parse('{ now later }'), rootValue: { now: ask, later: async (...args: Parameters<typeof ask>) => ask(...args) } });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.signal).toBe(seen[0]!.signal);
    expect(seen.map((s) => s.abortedThen)).toEqual([false, false]);
    expect(seen[0]!.signal.aborted).toBe(true);
  });
});
