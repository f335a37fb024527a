import { formatTime } from './format.ts';

/**
 * The connection as a trader names it. `untrusted`: the browser refused the local server's
 * certificate; `unreachable`: nothing answers at the server's address.
 */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'untrusted' | 'unreachable';

export interface LinkStatus {
  link: LinkState;
  /** Since when the shown prices are not known to be current; absent while they are. */
  staleSince?: string;
  /** A read of what was missed is under way. */
  catchingUp?: boolean;
}

const WORDS: Record<LinkState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  untrusted: 'Certificate not trusted',
  unreachable: 'Server unreachable',
};

/** What the header says: the link in words, and how old the prices are when they are not current. */
export function describeLink(status: LinkStatus): { link: string; staleness: string | undefined } {
  const staleness = status.staleSince ? `Prices stale since ${formatTime(status.staleSince)}` : status.catchingUp && status.link === 'live' ? 'Catching up…' : undefined;
  return { link: WORDS[status.link], staleness };
}

/** Draws the header's indicator: `data-state` carries the link, `data-stale-since` the time. */
export function showLink(badge: HTMLElement, staleness: HTMLElement, status: LinkStatus): void {
  const words = describeLink(status);
  badge.dataset.state = status.link;
  badge.textContent = words.link;
  document.body.dataset.link = status.link;
  if (status.staleSince) document.body.dataset.staleSince = status.staleSince;
  else delete document.body.dataset.staleSince;
  staleness.hidden = words.staleness === undefined;
  staleness.textContent = words.staleness ?? '';
}
