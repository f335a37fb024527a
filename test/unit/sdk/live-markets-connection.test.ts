import { describe, expect, it } from 'vitest';
import { connectionStatus, DEFAULT_LIMITS, step, type Input, type Phase } from '../../../sdk/live-markets/connection.ts';
import { describeConnection } from '../../../sdk/live-markets/describe.ts';

/** The connection state machine, with time as a plain number. */

const limits = DEFAULT_LIMITS;
const T0 = Date.UTC(2026, 11, 3, 12, 3, 5);

function run(inputs: [Input['kind'], number][], from: Phase = { kind: 'idle' }) {
  let phase = from;
  const effects: string[] = [];
  for (const [kind, at] of inputs) {
    const next = step(phase, { kind } as Input, at, limits);
    phase = next.phase;
    effects.push(...next.effects.map((e) => ('at' in e ? `${e.kind}@${e.at - T0}` : e.kind)));
  }
  return { phase, effects };
}

describe('live-markets connection', () => {
  it('subscribes, waits for every acknowledgement, syncs, then is live until silent for longer than the bound', () => {
    const { phase, effects } = run([
      ['start', T0],
      ['subscribed', T0 + 100],
      ['synced', T0 + 300],
      ['heard', T0 + 3_000],
    ]);
    expect(effects).toEqual(['open', 'wake@10000', 'sync', 'wake@8301', 'wake@11001']);
    expect(phase).toEqual({ kind: 'live', heardAt: T0 + 3_000 });
    expect(connectionStatus(phase, T0 + 11_000, limits)).toEqual({ kind: 'live' });
    // Silent past the bound: stale at once, even before the timer has run.
    expect(connectionStatus(phase, T0 + 11_001, limits)).toEqual({ kind: 'stale', since: new Date(T0 + 3_000) });
    const dead = step(phase, { kind: 'tick' }, T0 + 11_001, limits);
    expect(dead).toEqual({ phase: { kind: 'dropping', staleSince: T0 + 3_000, silent: true }, effects: [{ kind: 'drop' }] });
    expect(describeConnection(connectionStatus(dead.phase, T0 + 11_001, limits))).toMatch(/^prices stale since \d\d:\d\d:\d\d$/);
  });

  it('a timer that fires early keeps the phase and sets itself again for the same time, so the silence or the deadline is still judged', () => {
    const live: Phase = { kind: 'live', heardAt: T0 };
    expect(step(live, { kind: 'tick' }, T0 + 7_995, limits)).toEqual({ phase: live, effects: [{ kind: 'wake', at: T0 + 8_001 }] });
    expect(run([['tick', T0 + 7_995], ['tick', T0 + 8_001]], live).effects).toEqual(['wake@8001', 'drop']);
    const subscribing: Phase = { kind: 'subscribing', staleSince: null, deadline: T0 + 10_000 };
    expect(step(subscribing, { kind: 'tick' }, T0 + 9_990, limits)).toEqual({ phase: subscribing, effects: [{ kind: 'wake', at: T0 + 10_000 }] });
  });

  it('after a drop probes until the API answers, offline meanwhile, then reconnects with the stale time kept', () => {
    const { phase, effects } = run(
      [
        ['transport-down', T0 + 1_000],
        ['dropped', T0 + 2_000],
        ['probe-failed', T0 + 2_010],
      ],
      { kind: 'live', heardAt: T0 },
    );
    expect(effects).toEqual(['drop', 'probe']);
    expect(connectionStatus(phase, T0 + 2_010, limits)).toEqual({ kind: 'offline', staleSince: new Date(T0) });
    const back = run([['probe-ok', T0 + 3_020], ['subscribed', T0 + 3_100]], phase);
    expect(back.effects).toEqual(['open', 'wake@13020', 'sync']);
    expect(connectionStatus(back.phase, T0 + 3_100, limits)).toEqual({ kind: 'reconnecting', staleSince: new Date(T0) });
  });

  it('drops a connection whose subscriptions are not acknowledged in time, or whose reads fail', () => {
    expect(run([['start', T0], ['tick', T0 + 10_000]]).effects).toEqual(['open', 'wake@10000', 'drop']);
    expect(run([['start', T0], ['subscribed', T0 + 1], ['sync-failed', T0 + 2]]).phase).toEqual({ kind: 'dropping', staleSince: null, silent: false });
  });

  it('on a return to the foreground re-reads when the link is fresh and drops it when it has been silent', () => {
    expect(step({ kind: 'live', heardAt: T0 }, { kind: 'foreground' }, T0 + 5_000, limits).effects).toEqual([{ kind: 'sync' }]);
    expect(step({ kind: 'live', heardAt: T0 }, { kind: 'foreground' }, T0 + 60_000, limits).effects).toEqual([{ kind: 'drop' }]);
  });

  it('handles every input in every phase, and stops from any', () => {
    const phases: Phase[] = [
      { kind: 'idle' },
      { kind: 'subscribing', staleSince: null, deadline: T0 },
      { kind: 'syncing', staleSince: T0 },
      { kind: 'live', heardAt: T0 },
      { kind: 'dropping', staleSince: T0, silent: false },
      { kind: 'probing', staleSince: T0, failures: 2 },
      { kind: 'stopped' },
    ];
    const inputs: Input['kind'][] = ['start', 'subscribed', 'synced', 'sync-failed', 'heard', 'transport-down', 'dropped', 'probe-ok', 'probe-failed', 'foreground', 'tick', 'stop'];
    for (const phase of phases) {
      for (const kind of inputs) expect(() => step(phase, { kind } as Input, T0 + 1, limits)).not.toThrow();
      expect(step(phase, { kind: 'stop' }, T0, limits).phase).toEqual({ kind: 'stopped' });
      expect(describeConnection(connectionStatus(phase, T0, limits))).not.toMatch(/Connect|Disrupt|Pending/);
    }
  });
});
