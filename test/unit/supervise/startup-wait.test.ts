import { afterEach, describe, expect, it, vi } from 'vitest';
import { STARTUP_WAIT, watchStartup } from '../../../local/supervise/startup-wait.ts';

describe('watchStartup', () => {
  afterEach(() => vi.useRealTimers());

  it('says once that the start is slow, then gives up at the limit', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const gaveUp: number[] = [];
    watchStartup('svc', 'not answering on http://127.0.0.1:1', STARTUP_WAIT, (line) => lines.push(line), (seconds) => gaveUp.push(seconds));
    vi.advanceTimersByTime(29_999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(['svc: not answering on http://127.0.0.1:1 after 30 s (is the machine busy?); waiting up to 120 s']);
    vi.advanceTimersByTime(89_999);
    expect(gaveUp).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(gaveUp).toEqual([120]);
    expect(lines).toHaveLength(1);
  });

  it('does neither once the start has ended', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const gaveUp: number[] = [];
    const stop = watchStartup('svc', 'not ready', { slowMs: 10, limitMs: 20 }, (line) => lines.push(line), (seconds) => gaveUp.push(seconds));
    stop();
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual([]);
    expect(gaveUp).toEqual([]);
  });
});
