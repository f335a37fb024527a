import type { Heartbeat, MarketVersion } from '../../../schema/generated/types.ts';
import type { PublicationItem } from '../../../schema/items.ts';

/** The contract's interval (schema: Heartbeat); a client treats 8 s of silence as a dead link. */
export const DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 3;
/** How long one invocation publishes: the EventBridge rule's rate, `rate(1 minute)`. */
export const DEFAULT_HEARTBEAT_RUN_SECONDS = 60;
/**
 * The most one heartbeat message's JSON holds. AppSync drops a subscription message over 240 KB
 * without telling the publisher (docs/reference/appsync-realtime.md), and a beat listing every
 * market passes that near 3,000 markets. What exactly AppSync counts against the 240 KB (which
 * envelope, 1,000 or 1,024) is UNVERIFIED, hence a limit at about half of it.
 */
export const HEARTBEAT_MESSAGE_MAX_BYTES = 128 * 1024;

/**
 * The heartbeat at `at`: each open, suspended or closed market's last published version, from
 * the price engine's PublicationsTable (not the market's own version, which runs ahead of what
 * was published under conflation). Settled markets are final and left out. Sorted by market id.
 */
export function heartbeatOf(publications: readonly PublicationItem[], at: Date, intervalSeconds: number): Heartbeat {
  const markets: MarketVersion[] = publications
    .filter((p) => p.status !== 'SETTLED')
    .map((p) => ({ marketId: p.marketId, eventId: p.eventId, version: p.version }))
    .sort((a, b) => (a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : 0));
  return { at: at.toISOString(), intervalSeconds, markets };
}

const utf8 = new TextEncoder();
const jsonBytes = (value: unknown) => utf8.encode(JSON.stringify(value)).length;

/**
 * A beat as the messages that carry it: the same `at` and `intervalSeconds`, the markets in
 * order, each message's JSON at most `maxBytes`. Every message is a sign of life, and together
 * they list every market of the beat; a beat with no market is one message with none.
 */
export function heartbeatMessages(beat: Heartbeat, maxBytes = HEARTBEAT_MESSAGE_MAX_BYTES): Heartbeat[] {
  const { markets, ...head } = beat;
  const empty = jsonBytes({ ...head, markets: [] });
  const messages: Heartbeat[] = [{ ...head, markets: [] }];
  let size = empty;
  for (const market of markets) {
    // Counted with its separating comma, which overcounts the first of a message by one byte.
    const bytes = jsonBytes(market) + 1;
    if (empty + bytes > maxBytes) throw new Error(`heartbeat: market ${JSON.stringify(market.marketId)} alone takes ${bytes} bytes of JSON, more than the ${maxBytes - empty} a heartbeat message has room for`);
    if (size + bytes > maxBytes) {
      messages.push({ ...head, markets: [] });
      size = empty;
    }
    messages.at(-1)!.markets.push(market);
    size += bytes;
  }
  return messages;
}

/**
 * When one invocation publishes, ms after its start: every interval from 0 while before the end
 * of its run (0, 3000, ..., 57000 for 3 s in 60 s), so consecutive invocations of a rule firing
 * every run length continue the beat.
 */
export function beatOffsets(intervalSeconds: number, runSeconds: number): number[] {
  const offsets: number[] = [];
  for (let at = 0; at < runSeconds * 1000; at += intervalSeconds * 1000) offsets.push(at);
  return offsets;
}

/** A whole number of seconds from the environment, `fallback` when unset. */
export function parseSeconds(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`heartbeat: ${name} must be whole seconds from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}
