/**
 * EventBridge cron expressions, `cron(minutes hours day-of-month month day-of-week year)`, in
 * UTC, as the scheduled rules reference states them (docs.aws.amazon.com/eventbridge/latest/
 * userguide/eb-scheduled-rule-pattern.html): `,` `-` `*` `/` in every field, `?` in exactly one
 * of day-of-month and day-of-week, months 1-12 or JAN-DEC, days of week 1-7 or SUN-SAT (1 =
 * Sunday). The `L`, `W` and `#` wildcards are refused by name (the runtime reports such a rule
 * as not run).
 */
export interface CronSchedule {
  /** The first time after `afterMs` (epoch ms) that the expression matches, at a whole minute. */
  next(afterMs: number): number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const NAMES = new RegExp([...MONTHS, ...DAYS].join('|'), 'gi');
const FIELDS = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2199 },
] as const;

export function parseCron(fields: string): CronSchedule {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`cron(${fields}): six fields are needed (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  const [dom, dow] = [parts[2]!, parts[4]!];
  if ((dom === '?') === (dow === '?')) throw new Error(`cron(${fields}): exactly one of day-of-month and day-of-week must be ?`);
  const sets = parts.map((part, i) => (part === '?' ? undefined : valuesOf(part, FIELDS[i]!, fields)));
  const [minutes, hours, days, months, weekdays, years] = sets;
  const matchesDay = (d: Date) =>
    months!.has(d.getUTCMonth() + 1) && years!.has(d.getUTCFullYear()) && (days ? days.has(d.getUTCDate()) : weekdays!.has(d.getUTCDay() + 1));
  return {
    next(afterMs) {
      const t = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
      const limit = afterMs + 5 * 366 * 86_400_000;
      while (t.getTime() <= limit) {
        if (!matchesDay(t)) {
          t.setUTCHours(24, 0, 0, 0);
          continue;
        }
        if (hours!.has(t.getUTCHours()) && minutes!.has(t.getUTCMinutes())) return t.getTime();
        t.setUTCMinutes(t.getUTCMinutes() + 1);
      }
      throw new Error(`cron(${fields}) does not match any time in the five years after ${new Date(afterMs).toISOString()}`);
    },
  };
}

function valuesOf(part: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const values = new Set<number>();
  const problem = (why: string) => new Error(`cron(${expression}): ${field.name} ${JSON.stringify(part)}: ${why}`);
  const number = (text: string) => {
    const named = 'names' in field ? field.names.indexOf(text.toUpperCase() as never) : -1;
    const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= field.min && value <= field.max)) throw problem(`${text} is not a value from ${field.min} to ${field.max}`);
    return value;
  };
  for (const item of part.split(',')) {
    if (/[LW#]/i.test(item.replace(NAMES, ''))) throw problem('the L, W and # wildcards are not supported by the local runtime');
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw problem(`the increment ${stepText} is not a positive whole number`);
    let [from, to] = [field.min, field.max] as number[];
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = number(a);
      to = b === undefined ? (stepText === undefined ? from : field.max) : number(b);
    }
    if (from! > to!) throw problem(`the range ${range} runs backwards`);
    for (let v = from!; v <= to!; v += step) values.add(v);
  }
  return values;
}
