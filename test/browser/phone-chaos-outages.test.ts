import { describe, expect, it } from 'vitest';
import { disturb, HEARTBEAT_BOUND_MS, hold, logOnFailure, page, STALE_TOLERANCE_MS, usePhoneWorld } from './phone-world.ts';

// The console on a phone through the chaos proxy (phone-world.ts): its layout, then the network gone, silently dead and slow.
usePhoneWorld(20261203);

describe('the console on a phone (390×844, touch): layout, going offline, a black hole, a slow link', () => {
  it('lays the board out for the screen: no sideways scroll, the status badge whole, IMPLIED visible', async () => {
    logOnFailure('layout');
    await page.locator('#connection[data-state="live"]').waitFor({ timeout: 30_000 });
    const layout = await page.evaluate(() => {
      const badge = document.querySelector<HTMLElement>('.market .badge')!;
      const implied = document.querySelector<HTMLElement>('.market td.implied')!;
      const rect = implied.getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        badgeWhole: badge.scrollWidth <= badge.clientWidth && badge.getBoundingClientRect().right <= window.innerWidth,
        badge: badge.textContent,
        impliedOnScreen: rect.width > 0 && rect.left >= 0 && rect.right <= window.innerWidth,
        headerState: document.getElementById('connection')!.getBoundingClientRect().right <= window.innerWidth,
      };
    });
    expect(layout).toEqual({ scrollWidth: 390, badgeWhole: true, badge: 'OPEN', impliedOnScreen: true, headerState: true });
  });

  it('gives the trader panel thumb-sized controls (at least 44 px) behind the Trade tab', async () => {
    logOnFailure('trader-panel');
    await page.getByRole('button', { name: 'Trade' }).tap();
    await page.getByLabel('Username').fill('trader');
    await page.getByLabel('Password').fill('Trader-pass-1');
    await page.getByRole('button', { name: 'Sign in' }).tap();
    await page.locator('.session[data-username="trader"]').waitFor({ timeout: 20_000 });
    const small = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('button, input:not([type="checkbox"]), select'))
        .filter((control) => control.offsetParent !== null)
        .map((control) => ({ control: `${control.tagName.toLowerCase()} ${control.textContent?.trim() || (control as HTMLInputElement).name}`, height: control.getBoundingClientRect().height }))
        .filter(({ height }) => height < 44),
    );
    expect(small).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
    await page.getByRole('button', { name: 'Prices' }).tap();
  });

  it('offline for 20 s: stale shown in time, the server\'s state within 2 s of the network returning', async () => {
    logOnFailure('offline');
    const samples = await disturb('offline 20 s', () => hold({ kind: 'offline' }, 20_000));
    expect(samples.some((s) => s.cards.every((c) => c.freshness === 'stale'))).toBe(true);
  }, 120_000);

  it('a black hole for 20 s is detected within the heartbeat bound', async () => {
    logOnFailure('black-hole');
    let cut = 0;
    const samples = await disturb('black hole 20 s', async () => {
      cut = Date.now();
      await hold({ kind: 'black-hole' }, 20_000);
    });
    // Nothing arrives after the cut: by the bound (and the tick) the header no longer says live.
    const detected = samples.find((s) => s.t > cut && s.link !== 'live');
    expect(detected).toBeDefined();
    expect(detected!.t - cut).toBeLessThanOrEqual(HEARTBEAT_BOUND_MS + STALE_TOLERANCE_MS);
    expect(samples.some((s) => s.t > cut && s.cards.every((c) => c.freshness === 'stale'))).toBe(true);
  }, 120_000);

  it('a slow link (400 ms each way, 400 kbit/s) for 20 s', async () => {
    logOnFailure('slow');
    await disturb('slow link 20 s', () => hold({ kind: 'slow', latencyMs: 400, bitsPerSecond: 400_000 }, 20_000));
  }, 120_000);
});
