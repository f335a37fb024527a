import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveAssumptions } from '../../../cost/model/assumptions.ts';
import { parseProfile } from '../../../cost/model/profile.ts';
import type { AppResources, WorkloadProfile } from '../../../cost/model/types.ts';
import { heartbeatLoad } from '../../../cost/model/usage.ts';
import { HEARTBEAT_MESSAGE_MAX_BYTES } from '../../../functions/domain/live/heartbeat.ts';

const profile = parseProfile(JSON.parse(readFileSync(new URL('../../../cost/profiles/50k-phones.json', import.meta.url), 'utf8')));
const assumptions = resolveAssumptions();
const app: AppResources = {
  functions: [{ logicalId: 'HeartbeatFunction', role: 'heartbeat', memoryMb: 128, timeoutSeconds: 70, architecture: 'arm64', tracing: true, environment: { HEARTBEAT_INTERVAL_SECONDS: '3' } }],
  tables: [],
  apis: [],
  userPools: [],
  alarms: 0,
  logGroups: [],
};
const withMarkets = (markets: number): WorkloadProfile => ({ ...profile, feed: { ...profile.feed, markets } });
const perMarket = assumptions.heartbeatBytesPerMarket.value;

describe('the heartbeat in the cost model', () => {
  it('is one message a beat while every market fits in one', () => {
    const load = heartbeatLoad(app, withMarkets(1_000), assumptions);
    expect(load.perSecond).toBeCloseTo(1 / 3, 12);
    expect(load.payloadBytes).toBe(120 + 1_000 * perMarket);
    expect(load.units).toBe(Math.ceil((120 + 1_000 * perMarket) / 5120));
  });

  it('splits a beat of 5,000 markets (~375 KB, over AppSync\'s 240 KB) into three messages a beat, as the heartbeat function does', () => {
    const load = heartbeatLoad(app, withMarkets(5_000), assumptions);
    expect(load.perSecond).toBeCloseTo(3 / 3, 12);
    expect(load.payloadBytes).toBeLessThanOrEqual(HEARTBEAT_MESSAGE_MAX_BYTES);
    // The same bytes in all: three heads, each market once.
    expect(load.payloadBytes * 3).toBeCloseTo(3 * 120 + 5_000 * perMarket, 6);
    expect(load.units).toBe(Math.ceil(load.payloadBytes / 5120));
  });
});
