import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_AFTER_MS, firstNotLive, liveAgainAfter, liveWhileSilent, missedVersions, startClient, startWorld, untilConsistent, wait, type World } from '../support/live-markets-harness.ts';

/**
 * A silently dead link (a Wi-Fi to cellular handover): the proxy black-holes every connection
 * for 20 s while the feed runs. Amplify alone would call it "Connected" for 5 minutes; the live
 * state sees the heartbeats stop, marks every market stale within the 8 s bound, drops the dead
 * socket and opens a new one as soon as the network is back.
 */

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.stop());

describe('live markets in Node: black-holed link', () => {
  it('is stale within the bound, and equal to the server within 2 s of the link returning, with no version skipped', async () => {
    const client = await startClient(world);
    try {
      await untilConsistent(world, client, 20_000);
      const cut = Date.now();
      client.setMode({ kind: 'black-hole' });
      await wait(20_000);
      const detected = firstNotLive(client, cut);
      expect(detected, 'the black hole was never noticed').toBeDefined();
      // The last message before the cut arrived at most a heartbeat before it.
      expect(detected! - cut).toBeLessThanOrEqual(DEAD_AFTER_MS + 1_000);
      const back = Date.now();
      client.setMode({ kind: 'pass' });
      expect(await liveAgainAfter(client, back)).toBeLessThanOrEqual(2_000);
      await untilConsistent(world, client, 10_000);
      expect(liveWhileSilent(client)).toEqual([]);
      expect(await missedVersions(world, client)).toEqual({});
    } finally {
      await client.stop();
    }
  }, 90_000);
});
