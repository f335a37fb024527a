/** How prices and times read on the board: the forms a bettor knows. */

/** Decimal odds with two places, as on the price ladder (2.50, 1.91, 110.00). */
export function formatDecimal(decimal: number): string {
  return decimal.toFixed(2);
}

/** American odds carry their sign: +150, -200. */
export function formatAmerican(american: number): string {
  return american > 0 ? `+${american}` : String(american);
}

/** 0.05 → "5.0%". */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** An AWSDateTime as local wall-clock time, to the second. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString(undefined, { hour12: false });
}

/** How a status reads to a person: "SUSPENDED" → "Suspended". */
export function formatStatus(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}
