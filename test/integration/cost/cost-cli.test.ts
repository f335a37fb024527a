import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm run cost` as a user runs it, in its own process, on the assembly the global setup
 * synthesized: the JSON report's shape, and numbers that add up.
 */

const run = promisify(execFile);
const npmCost = (...args: string[]) => run('npm', ['run', '--silent', 'cost', '--', ...args], { maxBuffer: 16 * 1024 * 1024 });

function assembly(): string {
  const dir = process.env.PRICESTREAM_TEST_ASSEMBLY;
  if (!dir) throw new Error('no assembly: test/global-setup.ts synthesizes the CDK app (run through vitest from the project folder)');
  return dir;
}

const SERVICES = ['appsync', 'lambda', 'dynamodb', 'cognito', 'cloudwatch', 'xray', 'dataTransfer'];

describe('npm run cost', () => {
  it('--json prints one object: monthlyUsd (total and one entry per service), perMillionDeliveredUsd, firstLimit', async () => {
    const { stdout } = await npmCost('--profile', 'cost/profiles/demo.json', '--json', '--assembly', assembly());
    const report = JSON.parse(stdout);
    expect(Object.keys(report.monthlyUsd).sort()).toEqual(['total', ...SERVICES].sort());
    for (const service of SERVICES) expect(report.monthlyUsd[service]).toBeGreaterThanOrEqual(0);
    const sum = SERVICES.reduce((total, s) => total + report.monthlyUsd[s], 0);
    expect(report.monthlyUsd.total).toBeCloseTo(sum, 6);
    expect(report.monthlyUsd.total).toBeGreaterThan(0);
    expect(report.perMillionDeliveredUsd).toBeCloseTo((report.monthlyUsd.total / report.deliveredPerMonth) * 1e6, 3);
    expect(report.firstLimit).toMatchObject({ name: expect.any(String), current: expect.any(Number), limit: expect.any(Number), breaksAtMultiple: expect.any(Number) });
    expect(report.firstLimit.current * report.firstLimit.breaksAtMultiple).toBeGreaterThan(0);
    // The assembly's own functions are priced: five Lambdas at the memory the template gives them.
    const durations = report.lines.filter((l: { service: string; item: string }) => l.service === 'lambda' && l.item.includes('duration'));
    expect(durations.map((l: { item: string }) => l.item.split(' ')[0]).sort()).toEqual([
      expect.stringMatching(/^EventPublisherFunction/),
      expect.stringMatching(/^HeartbeatFunction/),
      expect.stringMatching(/^IngestFeedFunction/),
      expect.stringMatching(/^JobRunnerFunction/),
      expect.stringMatching(/^PriceEngineFunction/),
    ]);
    for (const line of durations) expect(line.item).toContain(/^(Heartbeat|EventPublisher)/.test(line.item) ? '128 MB arm64' : '256 MB arm64');
    expect(report.alternatives.map((a: { id: string }) => a.id)).toEqual(['appsync-graphql', 'apigateway-websocket', 'iot-core-mqtt', 'appsync-events']);
  }, 90_000);

  it('prints a table for people, saying which numbers were measured and which assumed', async () => {
    const { stdout } = await npmCost('--profile', 'cost/profiles/50k-phones.json', '--assembly', assembly());
    expect(stdout).toMatch(/\| \*\*Total a month\*\* +\| +\*\*\$[\d,]+\.\d\d\*\* \|/);
    expect(stdout).toMatch(/First limit to break: /);
    expect(stdout).toMatch(/^ {2}assumed {3}/m);
    expect(stdout).toContain('Push path alternatives');
  }, 90_000);

  it('refuses a bad profile, naming the field and what it expects', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cost-profile-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad' }));
    const failure = await npmCost('--profile', file, '--assembly', assembly()).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`invalid profile: ${file}: clients must be an object with connected, subscriptionsPerClient, hoursConnectedPerDay, connectionsPerDay; got nothing`);
  }, 90_000);
});
