import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

export interface OutboundPolicy {
  maxBufferedBytes: number;
  maxLagMs: number;
}

export interface OutboundCounters {
  droppedFrames: number;
  slowConsumersTerminated: number;
}

export interface Outbound {
  /** Writes a frame unless back-pressure refuses it; returns whether it was written. */
  send(frame: string): boolean;
}

/**
 * Frames written during one publication are held (the socket corked) and flushed together when
 * it ends: one write per socket per publication instead of one per frame, since a connection
 * typically holds many subscriptions to the same publication.
 */
export interface WriteBatch {
  active: boolean;
  /** Which batch this is: each socket decides once per batch. */
  generation: number;
  corked: Duplex[];
}

export function openBatch(batch: WriteBatch): void {
  batch.active = true;
  batch.generation++;
}

export function flushBatch(batch: WriteBatch): void {
  batch.active = false;
  for (const socket of batch.corked) socket.uncork();
  batch.corked.length = 0;
}

/**
 * Back-pressure for one socket. A socket whose unsent backlog is over `maxBufferedBytes` gets no
 * new frames: they are dropped (the episode logged once, every frame counted), so a slow client
 * never stalls the others and its memory stays bounded by the cap plus one publication. Within a
 * publication the decision is taken once, from the backlog before it, so a publication reaches a
 * socket whole or not at all. A socket that stays over the cap for `maxLagMs` is terminated: its
 * client sees a disconnect, reconnects and re-subscribes (Amplify does so on its own, reference
 * §2.5) and can catch up with a query, which is better than a silent, unbounded gap.
 */
export function createOutbound(
  ws: WebSocket,
  /** The socket under `ws`, as handed to the upgrade. */
  socket: Duplex,
  batch: WriteBatch,
  policy: OutboundPolicy,
  counters: OutboundCounters,
  log: (event: string, detail: Record<string, unknown>) => void,
): Outbound {
  let lagSince = 0;
  let droppedInEpisode = 0;
  let decidedGeneration = -1;
  let admittedInBatch = false;

  function admit(): boolean {
    if (ws.bufferedAmount <= policy.maxBufferedBytes) {
      if (lagSince !== 0) {
        log('slow-consumer-recovered', { droppedFrames: droppedInEpisode, laggingMs: Date.now() - lagSince });
        lagSince = 0;
        droppedInEpisode = 0;
      }
      return true;
    }
    const now = Date.now();
    if (lagSince === 0) {
      lagSince = now;
      log('slow-consumer', { bufferedBytes: ws.bufferedAmount, cap: policy.maxBufferedBytes, action: 'dropping frames until it drains' });
    } else if (now - lagSince > policy.maxLagMs) {
      log('slow-consumer-terminated', { bufferedBytes: ws.bufferedAmount, laggingMs: now - lagSince, droppedFrames: droppedInEpisode });
      counters.slowConsumersTerminated++;
      ws.terminate();
    }
    return false;
  }

  return {
    send(frame) {
      if (ws.readyState !== WebSocket.OPEN) return false;
      let admitted: boolean;
      if (!batch.active) {
        admitted = admit();
      } else {
        if (decidedGeneration !== batch.generation) {
          decidedGeneration = batch.generation;
          admittedInBatch = admit();
          if (admittedInBatch) {
            socket.cork();
            batch.corked.push(socket);
          }
        }
        admitted = admittedInBatch;
      }
      if (!admitted) {
        droppedInEpisode++;
        counters.droppedFrames++;
        return false;
      }
      ws.send(frame);
      return true;
    },
  };
}
