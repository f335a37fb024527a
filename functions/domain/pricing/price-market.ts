import { MIN_PRICE, roundDownToLadder } from './ladder.ts';
import { priceOf, type Price } from './odds.ts';

export interface SelectionProbability {
  selectionId: string;
  name: string;
  probability: number;
}

export interface SelectionPrice extends SelectionProbability {
  price: Price;
}

/** A market that cannot be priced, with the attribute at fault (`margin`, `selections[1].probability`). */
export class PricingError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'PricingError';
    this.field = field;
  }
}

function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? 'nothing';
}

export function assertValidMargin(margin: unknown): asserts margin is number {
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0 || margin >= 1) {
    throw new PricingError('margin', `margin must be a number with 0 <= margin < 1 (0.05 is a 105% book), got ${show(margin)}`);
  }
}

/**
 * Prices with a proportional overround: each selection's implied probability is its true
 * probability times (1 + margin), and its decimal price 1/implied rounded DOWN onto the
 * ladder, so the book's overround after rounding is at least the margin — except where a
 * price would fall below the ladder's 1.01 (implied above 1/1.01), which stays at 1.01.
 */
export function priceSelections(margin: number, selections: readonly SelectionProbability[]): SelectionPrice[] {
  assertValidMargin(margin);
  if (selections.length === 0) throw new PricingError('selections', 'a market needs at least one selection to be priced');
  return selections.map((selection, index) => {
    const p = selection.probability;
    if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || p >= 1) {
      throw new PricingError(`selections[${index}].probability`, `probability of selection ${selection.selectionId} must be a number in (0, 1), got ${show(p)}`);
    }
    const decimal = roundDownToLadder(1 / (p * (1 + margin)));
    return { ...selection, price: priceOf(decimal) };
  });
}

/** Whether pricing this probability at this margin hits the ladder's floor (its overround falls short). */
export function isClampedAtFloor(probability: number, margin: number): boolean {
  return 1 / (probability * (1 + margin)) < MIN_PRICE;
}
