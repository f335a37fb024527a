import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_AFTER_MS, expectRecovered, firstNotLive, joinChaosWorld, startClient, untilConsistent, wait, type World } from '../support/live-markets-harness.ts';

/**
 * The live market state (sdk/live-markets) in Node on aws-amplify v6, through the chaos proxy,
 * while the demo feed of the shared world (test/support/chaos-world.ts) publishes every second: the network goes away (offline: every connection
 * reset, new ones refused) or silently dies (black hole: nothing moves, nothing closes — a Wi-Fi
 * to cellular handover). Amplify alone calls a black-holed link "Connected" for 5 minutes and
 * retries a refused one only every 60 s after its first 6 s.
 */

let world: World;
beforeAll(() => {
  world = joinChaosWorld();
});
afterAll(() => world?.stop());

async function outage(mode: 'offline' | 'black-hole', forMs: number) {
  const client = await startClient(world);
  try {
    await untilConsistent(world, client, 60_000);
    const cut = Date.now();
    client.setMode({ kind: mode });
    await wait(forMs);
    const noticed = firstNotLive(client, cut);
    expect(noticed, 'the outage was never shown').toBeDefined();
    // The last message before the cut arrived at most one heartbeat interval before it.
    expect(noticed! - cut).toBeLessThanOrEqual(mode === 'offline' ? 1_000 : DEAD_AFTER_MS + 1_000);
    expect(client.live.market(client.live.markets()[0]!.id)!.liveness.kind).toBe('stale');
    const back = Date.now();
    client.setMode({ kind: 'pass' });
    await expectRecovered(world, client, back);
  } finally {
    await client.stop();
  }
}

describe('live markets in Node through a broken network', () => {
  it('offline for 20 s: stale at once, live and equal to the server within 2 s of the network returning, no version skipped', () => outage('offline', 20_000), 90_000);

  it('offline for 60 s: the same', () => outage('offline', 60_000), 150_000);

  it('black hole for 20 s: stale within the 8 s bound (not 65 s later), a new socket once the link is back, equal within 2 s, no version skipped', () => outage('black-hole', 20_000), 90_000);
});
