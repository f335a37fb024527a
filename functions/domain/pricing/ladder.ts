/**
 * The standard decimal price ladder (Betfair's): the only decimal odds a price may take.
 * Rungs are kept in hundredths so that comparisons are exact integer arithmetic.
 */
const BANDS: readonly { from: number; to: number; step: number }[] = [
  { from: 101, to: 200, step: 1 },
  { from: 200, to: 300, step: 2 },
  { from: 300, to: 400, step: 5 },
  { from: 400, to: 600, step: 10 },
  { from: 600, to: 1000, step: 20 },
  { from: 1000, to: 2000, step: 50 },
  { from: 2000, to: 3000, step: 100 },
  { from: 3000, to: 5000, step: 200 },
  { from: 5000, to: 10000, step: 500 },
  { from: 10000, to: 100000, step: 1000 },
];

function buildLadder(): number[] {
  const rungs: number[] = [];
  for (const band of BANDS) {
    for (let cents = band.from; cents <= band.to; cents += band.step) {
      if (rungs[rungs.length - 1] !== cents) rungs.push(cents);
    }
  }
  return rungs;
}

/** Every rung in hundredths, ascending: 101, 102, …, 200, 202, …, 100000. */
export const LADDER_CENTS: readonly number[] = buildLadder();
export const MIN_PRICE = LADDER_CENTS[0]! / 100;
export const MAX_PRICE = LADDER_CENTS[LADDER_CENTS.length - 1]! / 100;

// 1/implied is computed in floating point: 2.5 may arrive as 2.4999999999999996.
const FLOAT_SLACK_CENTS = 1e-7;

/**
 * The highest rung at or below `rawDecimal` (rounding down lowers the price, so the book
 * never pays more than the margin allows). Below the ladder the price is the lowest rung,
 * 1.01: the ladder has nothing shorter, and the caller should know the overround then
 * falls short of the margin for that selection.
 */
export function roundDownToLadder(rawDecimal: number): number {
  if (!Number.isFinite(rawDecimal)) {
    if (rawDecimal === Infinity) return MAX_PRICE;
    throw new RangeError(`a decimal price must be a number, got ${rawDecimal}`);
  }
  const cents = rawDecimal * 100 + FLOAT_SLACK_CENTS;
  let lo = 0;
  let hi = LADDER_CENTS.length - 1;
  if (cents < LADDER_CENTS[0]!) return MIN_PRICE;
  if (cents >= LADDER_CENTS[hi]!) return MAX_PRICE;
  // Invariant: LADDER_CENTS[lo] <= cents < LADDER_CENTS[hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (LADDER_CENTS[mid]! <= cents) lo = mid;
    else hi = mid;
  }
  return LADDER_CENTS[lo]! / 100;
}

/** Whether `decimal` is exactly a rung of the ladder. */
export function isOnLadder(decimal: number): boolean {
  const cents = Math.round(decimal * 100);
  return Math.abs(cents - decimal * 100) < 1e-6 && LADDER_CENTS.includes(cents);
}
