import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCloudAssembly } from '../../../local/assembly/cloud-assembly.ts';
import { buildAppModel } from '../../../local/assembly/model.ts';
import type { LambdaInvoker } from '../../../local/lambda/types.ts';
import { parseCron, parseScheduleExpression, startSchedules, type ScheduleRuleModel } from '../../../local/schedules/index.ts';

describe('parseScheduleExpression (EventBridge rate expressions reference)', () => {
  it('reads rate(value unit) with the unit singular exactly when the value is 1', () => {
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({ kind: 'rate', periodMs: 60_000 });
    expect(parseScheduleExpression('rate(5 minutes)')).toEqual({ kind: 'rate', periodMs: 300_000 });
    expect(parseScheduleExpression('rate(1 hour)')).toEqual({ kind: 'rate', periodMs: 3_600_000 });
    expect(parseScheduleExpression('rate(2 days)')).toEqual({ kind: 'rate', periodMs: 172_800_000 });
    expect(() => parseScheduleExpression('rate(1 hours)')).toThrow(/singular when the value is 1 and plural otherwise/);
    expect(() => parseScheduleExpression('rate(5 hour)')).toThrow(/singular when the value is 1 and plural otherwise/);
    expect(() => parseScheduleExpression('rate(0 minutes)')).toThrow(/positive whole number/);
    expect(() => parseScheduleExpression('rate(1.5 minutes)')).toThrow(/positive whole number/);
    expect(() => parseScheduleExpression('rate(1 second)')).toThrow(/minute \| minutes \| hour/);
    expect(() => parseScheduleExpression('every minute')).toThrow(/neither rate\(value unit\) nor cron\(fields\)/);
  });

  it('recognises cron(...), whose fields parseCron reads', () => {
    expect(parseScheduleExpression('cron(0 20 * * ? *)')).toEqual({ kind: 'cron', fields: '0 20 * * ? *' });
  });
});

describe('parseCron (EventBridge cron: minutes hours day-of-month month day-of-week year, UTC)', () => {
  const next = (fields: string, after: string) => new Date(parseCron(fields).next(Date.parse(after))).toISOString();

  it('finds the next matching minute: lists, ranges, increments, names, ? for the unused day field', () => {
    expect(next('0 20 * * ? *', '2026-12-03T09:00:00Z')).toBe('2026-12-03T20:00:00.000Z');
    expect(next('0 20 * * ? *', '2026-12-03T20:00:00Z')).toBe('2026-12-04T20:00:00.000Z');
    expect(next('0/15 * * * ? *', '2026-12-03T09:07:10Z')).toBe('2026-12-03T09:15:00.000Z');
    expect(next('5,35 8-9 * * ? *', '2026-12-03T09:36:00Z')).toBe('2026-12-04T08:05:00.000Z');
    expect(next('0 18 ? * MON-FRI *', '2026-12-05T00:00:00Z')).toBe('2026-12-07T18:00:00.000Z'); // Saturday → Monday
    expect(next('0 0 1 JAN ? *', '2026-12-03T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 12 ? * 1 *', '2026-12-03T00:00:00Z')).toBe('2026-12-06T12:00:00.000Z'); // 1 = Sunday
    expect(next('0 0 29 2 ? *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('refuses malformed expressions with the field at fault', () => {
    expect(() => parseCron('0 20 * * *')).toThrow('six fields are needed');
    expect(() => parseCron('0 20 * * * *')).toThrow('exactly one of day-of-month and day-of-week must be ?');
    expect(() => parseCron('0 24 * * ? *')).toThrow('hours "24": 24 is not a value from 0 to 23');
    expect(() => parseCron('0 9 ? * 2#1 *')).toThrow('day-of-week "2#1": the L, W and # wildcards are not supported by the local runtime');
    expect(() => parseCron('0 0 30 2 ? *').next(Date.parse('2026-01-01T00:00:00Z'))).toThrow('does not match any time in the five years');
    expect(parseCron('0 12 ? JUL WED *').next(Date.parse('2026-12-03T00:00:00Z'))).toBe(Date.parse('2027-07-07T12:00:00Z'));
  });
});

describe('AWS::Events::Rule in the assembly model', () => {
  it('resolves the rule name, ARN, schedule, state and Lambda targets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assembly-rules-'));
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ version: '48.0.0', artifacts: { Clock: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Clock.template.json' } } } }),
    );
    writeFileSync(
      join(dir, 'Clock.template.json'),
      JSON.stringify({
        Resources: {
          Tick: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1;' } } },
          Every: {
            Type: 'AWS::Events::Rule',
            Properties: { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED', Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['Tick', 'Arn'] }, Input: '{"hello":1}' }] },
          },
          Nightly: { Type: 'AWS::Events::Rule', Properties: { Name: 'nightly', ScheduleExpression: 'cron(0 2 * * ? *)', State: 'DISABLED', Targets: [] } },
        },
      }),
    );
    const model = buildAppModel(readCloudAssembly(dir), { region: 'eu-west-1', accountId: '111122223333', appsyncBaseUrl: () => '', secretSeed: 's' });
    expect(model.unrecognized).toEqual([]);
    expect(model.scheduleRules).toEqual([
      {
        stackName: 'Clock',
        logicalId: 'Every',
        name: 'Clock-Every',
        arn: 'arn:aws:events:eu-west-1:111122223333:rule/Clock-Every',
        scheduleExpression: 'rate(1 minute)',
        enabled: true,
        targets: [{ id: 'Target0', arn: 'arn:aws:lambda:eu-west-1:111122223333:function:Clock-Tick', input: '{"hello":1}' }],
      },
      { stackName: 'Clock', logicalId: 'Nightly', name: 'nightly', arn: 'arn:aws:events:eu-west-1:111122223333:rule/nightly', scheduleExpression: 'cron(0 2 * * ? *)', enabled: false, targets: [] },
    ]);
  });
});

describe('startSchedules', () => {
  afterEach(() => vi.useRealTimers());
  const fnArn = 'arn:aws:lambda:eu-west-1:111122223333:function:tick';
  const rule = (overrides: Partial<ScheduleRuleModel>): ScheduleRuleModel => ({
    stackName: 'Clock',
    logicalId: 'Every',
    name: 'every',
    arn: 'arn:aws:events:eu-west-1:111122223333:rule/every',
    scheduleExpression: 'rate(1 minute)',
    enabled: true,
    targets: [{ id: 'T', arn: fnArn }],
    ...overrides,
  });

  it('invokes a rate rule\'s Lambda target asynchronously at start and then every period, with the scheduled event', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 9, 0, 0) });
    const calls: { target: string; event: any; type: string }[] = [];
    const invoke: LambdaInvoker = async (target, event, { invocationType }) => {
      calls.push({ target, event, type: invocationType });
      return { ok: true, payload: null };
    };
    const schedules = startSchedules({ rules: [rule({})], invoke, region: 'eu-west-1', accountId: '111122223333', log: () => {} });
    expect(schedules.running).toEqual([{ rule: 'Clock/Every', expression: 'rate(1 minute)', targets: [fnArn] }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      target: fnArn,
      type: 'Event',
      event: { version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '111122223333', region: 'eu-west-1', time: '2026-12-03T09:00:00Z', resources: ['arn:aws:events:eu-west-1:111122223333:rule/every'], detail: {} },
    });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls.map((c) => c.event.time)).toEqual(['2026-12-03T09:00:00Z', '2026-12-03T09:01:00Z', '2026-12-03T09:02:00Z', '2026-12-03T09:03:00Z']);
    schedules.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(calls).toHaveLength(4);
  });

  it('sends a target\'s constant Input instead of the event', () => {
    const events: unknown[] = [];
    const schedules = startSchedules({
      rules: [rule({ targets: [{ id: 'T', arn: fnArn, input: '{"job":"sweep"}' }] })],
      invoke: async (_t, event) => (events.push(event), { ok: true, payload: null }),
      region: 'eu-west-1',
      accountId: '111122223333',
      log: () => {},
    });
    schedules.stop();
    expect(events).toEqual([{ job: 'sweep' }]);
  });

  it('invokes a cron rule at the UTC minutes it matches, not at start', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 3, 9, 58, 30) });
    const times: string[] = [];
    const schedules = startSchedules({
      rules: [rule({ scheduleExpression: 'cron(0/30 10 ? * THU *)' })],
      invoke: async (_t, event) => (times.push((event as { time: string }).time), { ok: true, payload: null }),
      region: 'eu-west-1',
      accountId: '111122223333',
      log: () => {},
    });
    expect(times).toEqual([]);
    await vi.advanceTimersByTimeAsync(3 * 3_600_000);
    schedules.stop();
    expect(times).toEqual(['2026-12-03T10:00:00Z', '2026-12-03T10:30:00Z']);
  });

  it('reports by name what it does not run: cron with L, W or #, event patterns, disabled rules, other targets, input transformers', () => {
    const lines: string[] = [];
    const invoke = vi.fn<LambdaInvoker>();
    const schedules = startSchedules({
      rules: [
        rule({ logicalId: 'Nightly', scheduleExpression: 'cron(0 2 L * ? *)' }),
        rule({ logicalId: 'OnEvent', scheduleExpression: undefined as never }),
        rule({ logicalId: 'Off', enabled: false }),
        rule({ logicalId: 'ToQueue', targets: [{ id: 'Q', arn: 'arn:aws:sqs:eu-west-1:111122223333:q' }] }),
        rule({ logicalId: 'Shaped', targets: [{ id: 'T', arn: fnArn, unsupported: 'its InputTransformer is not applied locally' }] }),
        rule({ logicalId: 'Typo', scheduleExpression: 'rate(1 minutes)' }),
      ],
      invoke,
      region: 'eu-west-1',
      accountId: '111122223333',
      log: (line) => lines.push(line),
    });
    schedules.stop();
    expect(invoke).not.toHaveBeenCalled();
    expect(schedules.running).toEqual([]);
    expect(schedules.notRun.map((n) => n.rule)).toEqual(['Clock/Nightly', 'Clock/OnEvent', 'Clock/Off', 'Clock/ToQueue', 'Clock/Shaped', 'Clock/Typo']);
    expect(lines[0]).toBe('warning: rule Clock/Nightly is not run locally: cron(0 2 L * ? *): day-of-month "L": the L, W and # wildcards are not supported by the local runtime');
    expect(lines).toHaveLength(6);
  });
});
