import { describe, expect, it } from 'vitest';
import { readAppResources } from '../../../cost/assembly.ts';

/** What the cost model reads from the assembly the global setup synthesized from infra/. */
describe('readAppResources on the synthesized app', () => {
  const dir = process.env.PRICESTREAM_TEST_ASSEMBLY;
  if (!dir) throw new Error('no assembly: test/global-setup.ts synthesizes the CDK app (run through vitest from the project folder)');
  const app = readAppResources(dir);

  it('reads each function’s memory, timeout, architecture and tracing from the template, with its role in the pipeline', () => {
    const byRole = Object.fromEntries(app.functions.map((fn) => [fn.role, fn]));
    expect(Object.keys(byRole).sort()).toEqual(['events', 'heartbeat', 'ingest', 'jobs', 'pricing']);
    for (const fn of app.functions) expect(fn).toMatchObject({ memoryMb: fn.role === 'heartbeat' || fn.role === 'events' ? 128 : 256, architecture: 'arm64', tracing: true });
    expect(byRole.heartbeat!.environment.HEARTBEAT_INTERVAL_SECONDS).toBe('3');
    expect(byRole.ingest!.timeoutSeconds).toBe(30);
    expect(byRole.jobs!.timeoutSeconds).toBe(300);
    expect(byRole.pricing!.streamBatchSize).toBe(1000);
    expect(byRole.pricing!.environment.PRICE_HISTORY_TTL_DAYS).toBe('30');
  });

  it('reads the tables: on demand, PITR, streams, TTL and the GSIs that copy every write', () => {
    const byRole = Object.fromEntries(app.tables.map((t) => [t.role, t]));
    expect(Object.keys(byRole).sort()).toEqual(['events', 'feedMessages', 'jobs', 'markets', 'prices', 'publications']);
    for (const table of app.tables) expect(table).toMatchObject({ onDemand: true, pointInTimeRecovery: true });
    expect(byRole.markets).toMatchObject({ stream: true, gsisProjectingAll: 1, ttl: false });
    expect(byRole.prices).toMatchObject({ stream: false, gsisProjectingAll: 0, ttl: true });
    expect(byRole.jobs).toMatchObject({ stream: true, gsisProjectingAll: 1 });
  });

  it('reads the API’s auth modes and X-Ray, the user pool’s tier, the alarms and log groups', () => {
    expect(app.apis).toEqual([{ name: 'Pricestream-api', authModes: ['AMAZON_COGNITO_USER_POOLS', 'AWS_IAM', 'API_KEY'], xrayEnabled: true, fieldLogLevel: 'ERROR' }]);
    expect(app.userPools.map((p) => p.tier)).toEqual(['ESSENTIALS']);
    expect(app.alarms).toBe(8);
    expect(app.logGroups.map((g) => g.retentionDays)).toEqual([30, 30, 30, 30, 30, 30]);
  });
});
