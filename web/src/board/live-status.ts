import { ConnectionState } from 'aws-amplify/api';
import type { LinkState, LinkStatus } from '../ui/link-indicator.ts';

/** Amplify's real-time connection states in a trader's words. */
export function linkOf(state: ConnectionState, online: boolean): LinkState {
  if (!online) return 'offline';
  switch (state) {
    case ConnectionState.Connected:
      return 'live';
    case ConnectionState.Connecting:
    case ConnectionState.Disconnected:
      return 'connecting';
    case ConnectionState.ConnectedPendingNetwork:
    case ConnectionState.ConnectionDisruptedPendingNetwork:
      return 'offline';
    case ConnectionState.ConnectedPendingDisconnect:
    case ConnectionState.ConnectedPendingKeepAlive:
    case ConnectionState.ConnectionDisrupted:
      return 'reconnecting';
  }
}

export interface LinkInputs {
  /** What Amplify's connection says, in a trader's words (linkOf). */
  amplify: LinkState;
  /** The heartbeat bound passed with nothing heard on a link that had been carrying messages. */
  silent: boolean;
  /** A failure no reconnection cures, found by probing (probeTls). */
  blocked: 'untrusted' | 'unreachable' | undefined;
  /** The oldest "stale since" among the markets shown. */
  staleSince: string | undefined;
  catchingUp: boolean;
}

/**
 * The header's status. Amplify says Connected for a link that died silently until its keep-alive
 * alert (65 s): the heartbeat's silence overrides it, and the page reconnects.
 */
export function pageLink({ amplify, silent, blocked, staleSince, catchingUp }: LinkInputs): LinkStatus {
  let link: LinkState = amplify === 'live' && silent ? 'reconnecting' : amplify;
  if (blocked && link !== 'live') link = blocked;
  return { link, ...(staleSince && { staleSince }), ...(catchingUp && { catchingUp }) };
}
