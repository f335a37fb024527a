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

/**
 * The page's link status from the connection and the catch-up: prices are stale from the moment
 * the link stopped being live until a catch-up after it came back has finished.
 */
export class LinkTracker {
  #status: LinkStatus = { link: 'connecting' };
  #listeners = new Set<(status: LinkStatus) => void>();
  #everLive = false;
  #blocked: 'untrusted' | 'unreachable' | undefined;

  status(): LinkStatus {
    return this.#status;
  }

  onChange(listener: (status: LinkStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The connection's state changed; `at` is when. */
  link(link: LinkState, at: Date = new Date()): void {
    // A refused certificate keeps failing the same way: its words stay until the link is live.
    if (this.#blocked && link !== 'live') return;
    this.#blocked = undefined;
    if (link === this.#status.link) return;
    const wasLive = this.#status.link === 'live';
    const staleSince = link !== 'live' && wasLive && !this.#status.staleSince ? at.toISOString() : this.#status.staleSince;
    if (link === 'live') this.#everLive = true;
    this.#set({ ...this.#status, link, ...(staleSince && this.#everLive && { staleSince }) });
  }

  /** A catch-up started or ended; ended while live, the prices are current again. */
  catchingUp(running: boolean): void {
    if (running) this.#set({ ...this.#status, catchingUp: true });
    else if (this.#status.link === 'live') this.#set({ link: 'live' });
    else this.#set({ ...this.#status, catchingUp: false });
  }

  /** A failure that no reconnection cures (an untrusted certificate, a server that is down). */
  blocked(link: 'untrusted' | 'unreachable', at: Date = new Date()): void {
    this.#blocked = link;
    this.#set({ ...this.#status, link, staleSince: this.#status.staleSince ?? at.toISOString() });
  }

  #set(status: LinkStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}
