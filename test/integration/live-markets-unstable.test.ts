import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRecovered, flapSchedule, joinChaosWorld, startClient, untilConsistent, wait, type World } from '../support/live-markets-harness.ts';
import { seeded } from '../support/pricestream.ts';

/**
 * The live market state (sdk/live-markets) in Node on aws-amplify v6, through the chaos proxy,
 * while the demo feed of the shared world (test/support/chaos-world.ts) publishes every second: a network that keeps flapping, one that resets
 * connections at random, and a slow one (400 ms each way, 400 kbit/s). Random choices are
 * seeded, so each run breaks the network the same way.
 */

let world: World;
beforeAll(() => {
  world = joinChaosWorld();
});
afterAll(() => world?.stop());

describe('live markets in Node through an unstable network', () => {
  it('flapping every 2–5 s for 60 s: live and equal within 2 s of the last return, no version skipped, never live while silent', async () => {
    const client = await startClient(world);
    try {
      await untilConsistent(world, client, 60_000);
      for (const { mode, forMs } of flapSchedule(seeded(2026), 60_000)) {
        client.setMode(mode);
        await wait(forMs);
      }
      const back = Date.now();
      client.setMode({ kind: 'pass' });
      await expectRecovered(world, client, back);
      expect(client.changes.filter(({ change }) => change.type === 'connection' && change.status.kind === 'offline').length).toBeGreaterThanOrEqual(5);
    } finally {
      await client.stop();
    }
  }, 150_000);

  it('connections reset at random every 2–5 s for 30 s: the same', async () => {
    const client = await startClient(world);
    try {
      await untilConsistent(world, client, 60_000);
      client.setMode({ kind: 'random-resets', minMs: 2_000, maxMs: 5_000 });
      await wait(30_000);
      const back = Date.now();
      client.setMode({ kind: 'pass' });
      await expectRecovered(world, client, back);
      expect(client.proxy.stats().resets).toBeGreaterThanOrEqual(6);
    } finally {
      await client.stop();
    }
  }, 120_000);

  it('a slow link (400 ms, 400 kbit/s): reconnects and catches up through it, equal to the server, no version skipped', async () => {
    const client = await startClient(world);
    try {
      await untilConsistent(world, client, 60_000);
      client.setMode({ kind: 'slow', latencyMs: 400, bitsPerSecond: 400_000 });
      await untilConsistent(world, client, 15_000);
      // Every connection dropped while slow: a new socket, snapshot and catch-up, all through the slow link.
      const reset = Date.now();
      client.proxy.resetAll();
      // A connection set up over 400 ms each way takes several round trips (TCP, TLS, WebSocket, acks, reads).
      await expectRecovered(world, client, reset, 10_000);
      client.setMode({ kind: 'pass' });
    } finally {
      await client.stop();
    }
  }, 120_000);
});
