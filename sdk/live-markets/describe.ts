import type { ConnectionStatus, MarketLiveness } from './types.ts';

/** "12:03:05", local time: when prices were last known current. */
export function clockTime(at: Date): string {
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The connection in a trader's words: "live", "reconnecting · prices stale since 12:03:05", … */
export function describeConnection(status: ConnectionStatus): string {
  const staleSuffix = (since: Date | null) => (since ? ` · prices stale since ${clockTime(since)}` : '');
  switch (status.kind) {
    case 'connecting':
      return 'connecting';
    case 'live':
      return 'live';
    case 'reconnecting':
      return `reconnecting${staleSuffix(status.staleSince)}`;
    case 'offline':
      return `offline${staleSuffix(status.staleSince)}`;
    case 'stale':
      return `prices stale since ${clockTime(status.since)}`;
    case 'stopped':
      return 'stopped';
  }
}

export function describeLiveness(liveness: MarketLiveness): string {
  switch (liveness.kind) {
    case 'live':
      return 'live';
    case 'catching-up':
      return 'catching up';
    case 'stale':
      return `stale since ${clockTime(liveness.since)}`;
  }
}
