/**
 * EventBridge schedule expressions (AWS::Events::Rule ScheduleExpression), as the rate
 * expressions reference states them (docs.aws.amazon.com/eventbridge/latest/userguide/
 * eb-rate-expressions.html): `rate(value unit)`, value a positive integer, unit minute | minutes
 * | hour | hours | day | days, singular exactly when the value is 1; `cron(fields)`, whose fields
 * cron.ts reads.
 */
export type ScheduleExpression = { kind: 'rate'; periodMs: number } | { kind: 'cron'; fields: string };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseScheduleExpression(expression: string): ScheduleExpression {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return { kind: 'cron', fields: cron[1]!.trim() };
  const rate = /^rate\((\S+) (\S+)\)$/.exec(expression);
  if (!rate) throw new Error(`schedule expression ${JSON.stringify(expression)} is neither rate(value unit) nor cron(fields)`);
  const [, rawValue, unit] = rate as unknown as [string, string, string];
  const value = Number(rawValue);
  if (!/^[1-9]\d*$/.test(rawValue) || !Number.isSafeInteger(value)) throw new Error(`schedule expression ${JSON.stringify(expression)}: the value must be a positive whole number`);
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  if (!UNIT_MS[singular]) throw new Error(`schedule expression ${JSON.stringify(expression)}: the unit must be minute | minutes | hour | hours | day | days`);
  if ((value === 1) !== (singular === unit)) {
    throw new Error(`schedule expression ${JSON.stringify(expression)}: the unit must be singular when the value is 1 and plural otherwise (e.g. rate(1 ${singular}), rate(5 ${singular}s))`);
  }
  return { kind: 'rate', periodMs: value * UNIT_MS[singular]! };
}
