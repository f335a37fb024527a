import { randomUUID } from 'node:crypto';
import type { LambdaInvoker } from '../lambda/types.ts';
import type { ScheduleRuleModel } from './rule-model.ts';
import { parseCron } from './cron.ts';
import { parseScheduleExpression } from './schedule-expression.ts';

export { scheduleRuleModel, type RuleTargetModel, type ScheduleRuleModel } from './rule-model.ts';
export { parseCron, type CronSchedule } from './cron.ts';
export { parseScheduleExpression, type ScheduleExpression } from './schedule-expression.ts';

export interface ScheduleOptions {
  rules: ScheduleRuleModel[];
  invoke: LambdaInvoker;
  region: string;
  accountId: string;
  log(line: string): void;
}

export interface RunningSchedules {
  /** Rules that fire locally, with their schedule expression. */
  running: { rule: string; expression: string; targets: string[] }[];
  /** Rules (or targets) that do not, each with the reason; also logged at start. */
  notRun: { rule: string; reason: string }[];
  stop(): void;
}

/**
 * Runs the assembly's scheduled rules: each enabled rule invokes its Lambda targets
 * asynchronously (invocation type Event, as EventBridge does) with the scheduled event, or with
 * the target's constant Input. A `rate(...)` rule runs first at start: EventBridge's rate
 * schedule "starts when you create the rule" (eb-rate-expressions.html), and a local start is
 * that creation; UNVERIFIED whether AWS's first run is then or one period later. Later runs keep
 * to the period from the start, without drift. A `cron(...)` rule runs at the UTC minutes it
 * matches (cron.ts). Rules that cannot run — cron with L, W or #, event pattern rules,
 * non-Lambda targets, InputPath/InputTransformer — are reported by name.
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
    let nextAfter: (afterMs: number) => number;
    if (expression.kind === 'cron') {
      try {
        const cron = parseCron(expression.fields);
        cron.next(Date.now()); // a schedule that never matches is reported now, not in a timer
        nextAfter = (afterMs) => cron.next(afterMs);
      } catch (error) {
        skip((error as Error).message);
        continue;
      }
    } else {
      // Rate rules keep to the period from the start, without drift.
      const { periodMs } = expression;
      const start = Date.now();
      nextAfter = (afterMs) => start + (Math.floor((afterMs - start) / periodMs) + 1) * periodMs;
    }
    const targets = rule.targets.filter((t) => {
      if (!t.arn.startsWith(lambdaArn)) skip(`target ${t.id} (${t.arn}) is not a Lambda function of this account and region`);
      else if (t.unsupported) skip(`target ${t.id}: ${t.unsupported}`);
      else return true;
      return false;
    });
    if (targets.length === 0) continue;

    const invokeTargets = () => {
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
    };
    const wakeAt = (at: number) => {
      if (stopped) return;
      // setTimeout holds at most 2^31 - 1 ms (about 24.8 days): wake up on the way to a later time.
      const wait = Math.max(0, at - Date.now());
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (Date.now() < at) return wakeAt(at);
        invokeTargets();
        try {
          wakeAt(nextAfter(at));
        } catch (error) {
          options.log(`rule ${where} stops: ${(error as Error).message}`);
        }
      }, Math.min(wait, 2 ** 31 - 1));
      timer.unref();
      timers.add(timer);
    };
    running.push({ rule: where, expression: rule.scheduleExpression, targets: targets.map((t) => t.arn) });
    options.log(`rule ${where}: ${rule.scheduleExpression} → ${targets.map((t) => t.arn.slice(lambdaArn.length)).join(', ')}`);
    if (expression.kind === 'rate') invokeTargets(); // at start: see above
    wakeAt(nextAfter(Date.now()));
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
