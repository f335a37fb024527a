/**
 * Feed → subscriber latency when publications are conflated: a message has reached the
 * subscriber when the first publication of its market that carries its state or a later one
 * arrives (docs/live-state.md: a conflated publication is the market's latest state and stands
 * for every change before it). Its latency is that arrival minus the send of the request that
 * carried it.
 */

/** A PROBABILITIES message as sent: its market, per-market state index, send time and the time its call was answered (epoch ms). */
export interface SentMessage {
  marketId: string;
  stateIndex: number;
  sentAt: number;
  answeredAt: number;
}

/** A publication as the subscriber read it: its market, the state index it carries, arrival time (epoch ms). */
export interface Arrival {
  marketId: string;
  stateIndex: number;
  at: number;
}

export interface Coverage {
  /** Latency of every covered message, ascending (ms). */
  latencies: number[];
  /** The part after its ingestFeed call was answered (stream, price-engine, publish, delivery), ascending (ms). */
  afterAnswer: number[];
  /** Messages no publication covered. */
  lost: SentMessage[];
  /** Publications of the messages' markets among the arrivals (fewer than messages where conflation merged them). */
  publications: number;
}

export function coverage(sent: readonly SentMessage[], arrivals: readonly Arrival[]): Coverage {
  const byMarket = new Map<string, Arrival[]>();
  for (const arrival of arrivals) {
    const list = byMarket.get(arrival.marketId) ?? [];
    list.push(arrival);
    byMarket.set(arrival.marketId, list);
  }
  for (const list of byMarket.values()) list.sort((a, b) => a.at - b.at);
  const latencies: number[] = [];
  const afterAnswer: number[] = [];
  const lost: SentMessage[] = [];
  let publications = 0;
  const markets = new Set(sent.map((m) => m.marketId));
  for (const marketId of markets) publications += byMarket.get(marketId)?.length ?? 0;
  for (const message of sent) {
    const covering = byMarket.get(message.marketId)?.find((a) => a.stateIndex >= message.stateIndex);
    if (!covering) {
      lost.push(message);
      continue;
    }
    latencies.push(covering.at - message.sentAt);
    afterAnswer.push(covering.at - message.answeredAt);
  }
  const ascending = (values: number[]) => values.sort((a, b) => a - b);
  return { latencies: ascending(latencies), afterAnswer: ascending(afterAnswer), lost, publications };
}
