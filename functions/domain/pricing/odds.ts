import { isOnLadder } from './ladder.ts';

/** One price in every form a client shows (the schema's `Price`). */
export interface Price {
  decimal: number;
  fractional: string;
  american: number;
  impliedProbability: number;
}

/**
 * Bookmakers' traditional fractions, in order of preference. A ladder price shows as one of
 * these when the fraction's decimal is within half a hundredth of it (1.91 is "10/11",
 * 1.67 is "4/6", 2.5 is "6/4"); otherwise as the reduced fraction of its profit.
 */
const TRADITIONAL_FRACTIONS: readonly (readonly [number, number])[] = [
  [1, 100], [1, 50], [1, 33], [1, 25], [1, 20], [1, 16], [1, 14], [1, 12], [1, 10], [1, 9],
  [1, 8], [1, 7], [1, 6], [1, 5], [2, 9], [1, 4], [2, 7], [3, 10], [1, 3], [4, 11], [2, 5],
  [4, 9], [1, 2], [8, 15], [4, 7], [8, 13], [4, 6], [8, 11], [4, 5], [5, 6], [10, 11],
  [1, 1], [6, 4], [11, 8], [13, 8], [15, 8],
];

/** How far a fraction's decimal may sit from the price it stands for: the price's own rounding. */
export const FRACTION_TOLERANCE = 0.005;
const SLACK = 1e-9;

function assertLadderPrice(decimal: number, what: string): void {
  if (!isOnLadder(decimal)) throw new RangeError(`${what} needs a decimal price on the ladder (1.01 to 1000), got ${decimal}`);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Fractional odds of a ladder price: "10/11", "1/1" (evens), "6/4", "2/1", else reduced. */
export function toFractional(decimal: number): string {
  assertLadderPrice(decimal, 'fractional odds');
  const traditional = TRADITIONAL_FRACTIONS.find(([n, d]) => Math.abs(1 + n / d - decimal) <= FRACTION_TOLERANCE + SLACK);
  if (traditional) return `${traditional[0]}/${traditional[1]}`;
  const profitCents = Math.round(decimal * 100) - 100;
  const divisor = gcd(profitCents, 100);
  return `${profitCents / divisor}/${100 / divisor}`;
}

/**
 * American (moneyline) odds: the profit on 100 staked when the price is 2.0 or longer
 * (+150 for 2.5, +100 for evens), else minus the stake that wins 100 (-200 for 1.5),
 * rounded to the nearest integer (1.91 is -110).
 */
export function toAmerican(decimal: number): number {
  assertLadderPrice(decimal, 'American odds');
  if (decimal >= 2) return Math.round((decimal - 1) * 100);
  return -Math.round(100 / (decimal - 1));
}

/** Parses "n/d" into its decimal equivalent, 1 + n/d. */
export function fractionalToDecimal(fractional: string): number {
  const match = /^(\d+)\/(\d+)$/.exec(fractional);
  if (!match || Number(match[2]) === 0) throw new RangeError(`fractional odds look like "6/4", got "${fractional}"`);
  return 1 + Number(match[1]) / Number(match[2]);
}

/** The decimal equivalent of American odds. */
export function americanToDecimal(american: number): number {
  if (!Number.isInteger(american) || Math.abs(american) < 100) throw new RangeError(`American odds are integers of magnitude 100 or more, got ${american}`);
  return american > 0 ? 1 + american / 100 : 1 + 100 / -american;
}

/** A ladder price in every form. */
export function priceOf(decimal: number): Price {
  return { decimal, fractional: toFractional(decimal), american: toAmerican(decimal), impliedProbability: 1 / decimal };
}
