import { LIVE, type Freshness } from './freshness.ts';

/**
 * The heartbeat bound of the live-state contract (schema/schema.graphql, Heartbeat): beats every
 * 3 s; silence for more than 8 s means the link is dead.
 */
export const HEARTBEAT_BOUND_MS = 8_000;

export interface HeartbeatFields {
  at: string;
  intervalSeconds: number;
  markets: { marketId: string; eventId: string; version: number }[];
}

/**
 * When each market's shown prices were last known to be the server's: a live update applied, a
 * heartbeat listing the version shown (or not listing the market: settled, nothing more to come),
 * or a catch-up read that finished. Older than the heartbeat bound, they are stale since then; a
 * heartbeat naming a newer version than shown means a publication was missed (catching up).
 */
export class MarketFreshness {
  #confirmed = new Map<string, number>();
  #behind = new Map<string, number>();
  #lastHeard: number | undefined;
  /**
   * The smallest (arrival − server time) of the heartbeats so far: the quickest delivery plus the
   * clocks' difference. A server time plus this is the earliest this page could have known it,
   * so confirmations count from the server's moment, not from when a slow link delivered it.
   */
  #offset: number | undefined;
  readonly #openedAt: number;

  constructor(openedAt: number) {
    this.#openedAt = openedAt;
  }

  /** Something arrived on the real-time link (a heartbeat, a price update): it is alive. */
  heard(at: number): void {
    this.#lastHeard = at;
  }

  lastHeard(): number | undefined {
    return this.#lastHeard;
  }

  /** The link is known dead: it carried something before and nothing within the bound since. */
  linkDead(now: number): boolean {
    return this.#lastHeard !== undefined && now - this.#lastHeard > HEARTBEAT_BOUND_MS;
  }

  /** A server time (AWSDateTime) on this page's clock; never later than `receivedAt`. */
  localTime(serverTime: string, receivedAt: number): number {
    const at = Date.parse(serverTime);
    if (Number.isNaN(at) || this.#offset === undefined) return receivedAt;
    return Math.min(receivedAt, at + this.#offset);
  }

  /** The market now shows the server's current version (a live update, a read). */
  confirm(marketId: string, at: number, shownVersion: number): void {
    this.#confirmed.set(marketId, Math.max(at, this.#confirmed.get(marketId) ?? 0));
    const behind = this.#behind.get(marketId);
    if (behind !== undefined && shownVersion >= behind) this.#behind.delete(marketId);
  }

  /**
   * A heartbeat, with the version each market shows. Returns the markets that missed a
   * publication (shown below the heartbeat's version): they need a catch-up.
   */
  heartbeat(beat: HeartbeatFields, receivedAt: number, shown: ReadonlyMap<string, number>): string[] {
    this.heard(receivedAt);
    const sent = Date.parse(beat.at);
    if (!Number.isNaN(sent)) this.#offset = Math.min(this.#offset ?? Infinity, receivedAt - sent);
    const at = this.localTime(beat.at, receivedAt);
    const listed = new Map(beat.markets.map((m) => [m.marketId, m.version]));
    const missed: string[] = [];
    for (const [marketId, version] of shown) {
      const published = listed.get(marketId);
      if (published === undefined || version >= published) this.confirm(marketId, at, version);
      else {
        this.#behind.set(marketId, Math.max(published, this.#behind.get(marketId) ?? 0));
        missed.push(marketId);
      }
    }
    return missed;
  }

  freshness(marketId: string, now: number): Freshness {
    const confirmed = this.#confirmed.get(marketId) ?? this.#openedAt;
    if (now - confirmed > HEARTBEAT_BOUND_MS) return { state: 'stale', since: new Date(confirmed).toISOString() };
    if (this.#behind.has(marketId)) return { state: 'catching-up', since: new Date(confirmed).toISOString() };
    return LIVE;
  }
}
