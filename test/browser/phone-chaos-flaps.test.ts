import { describe, it } from 'vitest';
import { disturb, hold, logOnFailure, pause, proxy, usePhoneWorld } from './phone-world.ts';

// The console on a phone through the chaos proxy (phone-world.ts): a network that flaps and one that resets.
const { random } = usePhoneWorld(20261204);

describe('the console on a phone (390×844, touch): a flapping and a resetting network', () => {
  it('flapping every 2–5 s for 60 s', async () => {
    logOnFailure('flaps');
    await disturb('flaps 60 s', async () => {
      const end = Date.now() + 60_000;
      let down = false;
      while (Date.now() < end) {
        down = !down;
        proxy!.setMode(down ? { kind: 'offline' } : { kind: 'pass' });
        await pause(Math.min(2_000 + random() * 3_000, Math.max(0, end - Date.now())));
      }
    });
  }, 180_000);

  it('sockets reset at random for 20 s', async () => {
    logOnFailure('resets');
    await disturb('random resets 20 s', () => hold({ kind: 'random-resets', minMs: 1_000, maxMs: 5_000 }, 20_000));
  }, 120_000);
});
