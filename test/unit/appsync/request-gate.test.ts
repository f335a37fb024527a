import { describe, expect, it } from 'vitest';
import { RequestGate } from '../../../local/appsync/graphql/request-gate.ts';

/** A task that settles when told to, recording when it started. */
function deferredTask(started: number[], id: number) {
  let settle!: { resolve: (v: number) => void; reject: (e: Error) => void };
  const task = () =>
    new Promise<number>((resolve, reject) => {
      started.push(id);
      settle = { resolve, reject };
    });
  return { task, settle: () => settle };
}

const macrotask = () => new Promise((r) => setImmediate(r));

describe('RequestGate', () => {
  it('runs at most `limit` tasks at once; a queued one starts in a later macrotask when a slot frees', async () => {
    const gate = new RequestGate(2);
    const started: number[] = [];
    const tasks = [0, 1, 2, 3].map((id) => deferredTask(started, id));
    const results = tasks.map((t) => gate.run(t.task));
    expect(started).toEqual([0, 1]);

    tasks[0]!.settle().resolve(10);
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    await macrotask();
    expect(started).toEqual([0, 1, 2]);

    tasks[1]!.settle().reject(new Error('field failed'));
    await macrotask();
    await macrotask();
    expect(started).toEqual([0, 1, 2, 3]);
    tasks[2]!.settle().resolve(12);
    tasks[3]!.settle().resolve(13);
    expect(await Promise.allSettled(results)).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('field failed') },
      { status: 'fulfilled', value: 12 },
      { status: 'fulfilled', value: 13 },
    ]);
  });

  it('keeps a freed slot for the queued task: a new task arriving meanwhile waits its turn', async () => {
    const gate = new RequestGate(1);
    const started: number[] = [];
    const [first, queued, late] = [0, 1, 2].map((id) => deferredTask(started, id));
    void gate.run(first!.task);
    void gate.run(queued!.task);
    first!.settle().resolve(0);
    await Promise.resolve();
    await Promise.resolve();
    void gate.run(late!.task);
    await macrotask();
    expect(started).toEqual([0, 1]);
    queued!.settle().resolve(1);
    await macrotask();
    await macrotask();
    expect(started).toEqual([0, 1, 2]);
  });
});
