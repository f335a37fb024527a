import type { ConnectionStatus } from './types.ts';

/**
 * The connection's state machine (pure: `step` maps a phase, an input and the time to the next
 * phase and the effects to run). One cycle: subscribe, wait until every subscription is
 * acknowledged, read the snapshot and catch up, then live while something arrives at least
 * every `deadAfterMs`. A silent link, a disrupted socket or a failed read drops the
 * subscriptions (which makes Amplify close its socket), then probes the API every
 * `retryIntervalMs` until it answers and starts the cycle again: a socket opened only once the
 * API answers is not left to Amplify's retries, which give up after about 6 s.
 */

export interface Limits {
  /** Silence after which the link is dead: the contract's 8 s (three missed 3 s heartbeats, less a second). */
  deadAfterMs: number;
  /** How long every subscription may take to be acknowledged. */
  subscribeTimeoutMs: number;
  /**
   * Between probes while the API cannot be reached: how soon the network's return is noticed
   * (a probe is one GetItem of a key that does not exist).
   */
  retryIntervalMs: number;
}

export const DEFAULT_LIMITS: Limits = { deadAfterMs: 8_000, subscribeTimeoutMs: 10_000, retryIntervalMs: 500 };

export type Phase =
  | { kind: 'idle' }
  | { kind: 'subscribing'; staleSince: number | null; deadline: number }
  | { kind: 'syncing'; staleSince: number | null }
  | { kind: 'live'; heardAt: number }
  | { kind: 'dropping'; staleSince: number | null; silent: boolean }
  | { kind: 'probing'; staleSince: number | null; failures: number }
  | { kind: 'stopped' };

export type Input =
  | { kind: 'start' }
  /** Every subscription is acknowledged. */
  | { kind: 'subscribed' }
  /** The snapshot is read and every market caught up. */
  | { kind: 'synced' }
  | { kind: 'sync-failed' }
  /** A heartbeat or any other message arrived on the subscriptions. */
  | { kind: 'heard' }
  /** The transport says the socket is gone (Amplify's ConnectionDisrupted, a subscription error). */
  | { kind: 'transport-down' }
  /** The old subscriptions are gone and their socket closed. */
  | { kind: 'dropped' }
  | { kind: 'probe-ok' }
  | { kind: 'probe-failed' }
  /** The page or app came back to the foreground. */
  | { kind: 'foreground' }
  /** A timer set by a `wake` effect fired. */
  | { kind: 'tick' }
  | { kind: 'stop' };

export type Effect =
  | { kind: 'open' }
  | { kind: 'sync' }
  | { kind: 'drop' }
  /** Probe now and every retryIntervalMs while probing. */
  | { kind: 'probe' }
  | { kind: 'wake'; at: number };

export interface Step {
  phase: Phase;
  effects: Effect[];
}

const stay = (phase: Phase): Step => ({ phase, effects: [] });

/**
 * A timer that fired before its time sets itself again. Node's timers count from the event
 * loop's cached time, which lags the clock by however long the current turn has run, so on a
 * busy machine a timer can fire milliseconds before Date.now() reaches its time; left as it was,
 * the phase would never be judged again (a black-holed link stayed "live" for good).
 */
const wakeAt = (phase: Phase, at: number): Step => ({ phase, effects: [{ kind: 'wake', at }] });

function subscribe(staleSince: number | null, now: number, limits: Limits): Step {
  const deadline = now + limits.subscribeTimeoutMs;
  return { phase: { kind: 'subscribing', staleSince, deadline }, effects: [{ kind: 'open' }, { kind: 'wake', at: deadline }] };
}

function drop(staleSince: number | null, silent = false): Step {
  return { phase: { kind: 'dropping', staleSince, silent }, effects: [{ kind: 'drop' }] };
}

/** Whether a live link has been silent for longer than the bound at `now`. */
export function isSilent(phase: Phase, now: number, limits: Limits): boolean {
  return phase.kind === 'live' && now - phase.heardAt > limits.deadAfterMs;
}

export function step(phase: Phase, input: Input, now: number, limits: Limits): Step {
  if (input.kind === 'stop') return phase.kind === 'stopped' ? stay(phase) : { phase: { kind: 'stopped' }, effects: [{ kind: 'drop' }] };
  switch (phase.kind) {
    case 'idle':
      return input.kind === 'start' ? subscribe(null, now, limits) : stay(phase);
    case 'subscribing':
      switch (input.kind) {
        case 'subscribed':
          return { phase: { kind: 'syncing', staleSince: phase.staleSince }, effects: [{ kind: 'sync' }] };
        case 'tick':
          return now >= phase.deadline ? drop(phase.staleSince) : wakeAt(phase, phase.deadline);
        case 'transport-down':
          return drop(phase.staleSince);
        case 'start': case 'synced': case 'sync-failed': case 'heard': case 'dropped': case 'probe-ok': case 'probe-failed': case 'foreground':
          return stay(phase);
      }
      break;
    case 'syncing':
      switch (input.kind) {
        case 'synced':
          return { phase: { kind: 'live', heardAt: now }, effects: [{ kind: 'wake', at: now + limits.deadAfterMs + 1 }] };
        case 'sync-failed': case 'transport-down':
          return drop(phase.staleSince);
        case 'start': case 'subscribed': case 'heard': case 'dropped': case 'probe-ok': case 'probe-failed': case 'foreground': case 'tick':
          return stay(phase);
      }
      break;
    case 'live':
      switch (input.kind) {
        case 'heard':
          return { phase: { kind: 'live', heardAt: now }, effects: [{ kind: 'wake', at: now + limits.deadAfterMs + 1 }] };
        case 'tick':
          return isSilent(phase, now, limits) ? drop(phase.heardAt, true) : wakeAt(phase, phase.heardAt + limits.deadAfterMs + 1);
        case 'transport-down':
          return drop(phase.heardAt);
        case 'foreground':
          // Timers may not have run in the background: judge the silence now, else re-read.
          return isSilent(phase, now, limits) ? drop(phase.heardAt, true) : { phase, effects: [{ kind: 'sync' }] };
        case 'start': case 'subscribed': case 'synced': case 'sync-failed': case 'dropped': case 'probe-ok': case 'probe-failed':
          return stay(phase);
      }
      break;
    case 'dropping':
      return input.kind === 'dropped'
        ? { phase: { kind: 'probing', staleSince: phase.staleSince, failures: 0 }, effects: [{ kind: 'probe' }] }
        : stay(phase);
    case 'probing':
      switch (input.kind) {
        case 'probe-ok':
          return subscribe(phase.staleSince, now, limits);
        case 'probe-failed':
          // The next probe is already scheduled: probes start every retryIntervalMs whatever the
          // last one's fate, so one hung on a dead path does not delay noticing the network's return.
          return stay({ ...phase, failures: phase.failures + 1 });
        case 'start': case 'subscribed': case 'synced': case 'sync-failed': case 'heard': case 'transport-down': case 'dropped': case 'foreground': case 'tick':
          return stay(phase);
      }
      break;
    case 'stopped':
      return stay(phase);
  }
  throw new Error(`live-markets connection: no transition from ${phase.kind} on ${input.kind}`);
}

/** The phase in a trader's words; `now` decides whether a live link has gone silent. */
export function connectionStatus(phase: Phase, now: number, limits: Limits): ConnectionStatus {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  switch (phase.kind) {
    case 'idle':
      return { kind: 'connecting' };
    case 'subscribing':
    case 'syncing':
      return phase.staleSince === null ? { kind: 'connecting' } : { kind: 'reconnecting', staleSince: at(phase.staleSince) };
    case 'live':
      return isSilent(phase, now, limits) ? { kind: 'stale', since: new Date(phase.heardAt) } : { kind: 'live' };
    case 'dropping':
      return phase.silent && phase.staleSince !== null ? { kind: 'stale', since: new Date(phase.staleSince) } : { kind: 'reconnecting', staleSince: at(phase.staleSince) };
    case 'probing':
      return phase.failures > 0 ? { kind: 'offline', staleSince: at(phase.staleSince) } : { kind: 'reconnecting', staleSince: at(phase.staleSince) };
    case 'stopped':
      return { kind: 'stopped' };
  }
}

/** When the prices shown were last known current, if they are not now. */
export function staleSince(phase: Phase, now: number, limits: Limits): number | null | undefined {
  switch (phase.kind) {
    case 'live':
      return isSilent(phase, now, limits) ? phase.heardAt : undefined;
    case 'idle':
    case 'stopped':
      return null;
    case 'subscribing':
    case 'syncing':
    case 'dropping':
    case 'probing':
      return phase.staleSince;
  }
}
