import { randomUUID } from 'node:crypto';
import type { LambdaInvoker } from '../lambda/types.ts';
import type { ScheduleRuleModel } from './rule-model.ts';
import { parseScheduleExpression } from './schedule-expression.ts';

export { scheduleRuleModel, type RuleTargetModel, type ScheduleRuleModel } from './rule-model.ts';
export { parseScheduleExpression, type ScheduleExpression } from './schedule-expression.ts';

export interface ScheduleOptions {
  rules: ScheduleRuleModel[];
  invoke: LambdaInvoker;
  region: string;
  accountId: string;
  log(line: string): void;
}

export interface RunningSchedules {
  /** Rules that fire locally, with their period. */
  running: { rule: string; periodMs: number; targets: string[] }[];
  /** Rules (or targets) that do not, each with the reason; also logged at start. */
  notRun: { rule: string; reason: string }[];
  stop(): void;
}

/**
 * Runs the assembly's scheduled rules: each enabled `rate(...)` rule invokes its Lambda targets
 * asynchronously (invocation type Event, as EventBridge does) with the scheduled event, or with
 * the target's constant Input. The first invocation is at start: EventBridge's rate schedule
 * "starts when you create the rule" (eb-rate-expressions.html), and a local start is that
 * creation; UNVERIFIED whether AWS's first run is then or one period later. Later runs keep to
 * the period from the start, without drift. Rules that cannot run — cron expressions, event
 * pattern rules, non-Lambda targets, InputPath/InputTransformer — are reported by name.
 */
export function startSchedules(options: ScheduleOptions): RunningSchedules {
  const lambdaArn = `arn:aws:lambda:${options.region}:${options.accountId}:function:`;
  const timers = new Set<NodeJS.Timeout>();
  const running: RunningSchedules['running'] = [];
  const notRun: RunningSchedules['notRun'] = [];
  let stopped = false;

  for (const rule of options.rules) {
    const where = `${rule.stackName}/${rule.logicalId}`;
    const skip = (reason: string) => {
      notRun.push({ rule: where, reason });
      options.log(`warning: rule ${where} is not run locally: ${reason}`);
    };
    if (!rule.scheduleExpression) {
      skip('it matches an event pattern, and no local service sends events to EventBridge');
      continue;
    }
    if (!rule.enabled) {
      skip('it is DISABLED');
      continue;
    }
    let expression;
    try {
      expression = parseScheduleExpression(rule.scheduleExpression);
    } catch (error) {
      skip((error as Error).message);
      continue;
    }
    if (expression.kind === 'cron') {
      skip(`cron expressions are not supported by the local runtime (cron(${expression.fields})); use rate(...)`);
      continue;
    }
    const targets = rule.targets.filter((t) => {
      if (!t.arn.startsWith(lambdaArn)) skip(`target ${t.id} (${t.arn}) is not a Lambda function of this account and region`);
      else if (t.unsupported) skip(`target ${t.id}: ${t.unsupported}`);
      else return true;
      return false;
    });
    if (targets.length === 0) continue;

    const { periodMs } = expression;
    const start = Date.now();
    const fire = (n: number) => {
      if (stopped) return;
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: options.accountId,
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: options.region,
        resources: [rule.arn],
        detail: {},
      };
      for (const target of targets) {
        const payload = target.input !== undefined ? JSON.parse(target.input) : event;
        options.invoke(target.arn, payload, { invocationType: 'Event' }).then(
          (result) => {
            if (!result.ok) options.log(`rule ${where}: target ${target.id} was not invoked: ${result.errorType}: ${result.errorMessage}`);
          },
          (error: Error) => options.log(`rule ${where}: target ${target.id} was not invoked: ${error.message}`),
        );
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        fire(n + 1);
      }, Math.max(0, start + (n + 1) * periodMs - Date.now()));
      timer.unref();
      timers.add(timer);
    };
    running.push({ rule: where, periodMs, targets: targets.map((t) => t.arn) });
    options.log(`rule ${where}: ${rule.scheduleExpression} → ${targets.map((t) => t.arn.slice(lambdaArn.length)).join(', ')}`);
    fire(0);
  }

  return {
    running,
    notRun,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
