import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOnLadder, LADDER_CENTS, MAX_PRICE, MIN_PRICE, roundDownToLadder } from '../../functions/domain/pricing/ladder.ts';
import { americanToDecimal, FRACTION_TOLERANCE, fractionalToDecimal, priceOf } from '../../functions/domain/pricing/odds.ts';
import { priceSelections } from '../../functions/domain/pricing/price-market.ts';

const probability = fc.double({ min: 0.001, max: 0.95, noNaN: true });
const margin = fc.double({ min: 0, max: 0.3, maxExcluded: true, noNaN: true });

/**
 * A book: true probabilities that sum to exactly 1 (normalised weights), none so large
 * that its price would fall below the ladder's 1.01 — there the price is clamped and the
 * overround can fall short of the margin (see priceSelections).
 */
const book = fc
  .tuple(margin, fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 }))
  .map(([m, weights]) => {
    const total = weights.reduce((a, b) => a + b, 0);
    return { margin: m, probabilities: weights.map((w) => w / total) };
  })
  .filter(({ margin: m, probabilities }) => probabilities.every((p) => p > 0 && p < 1 && p * (1 + m) <= 1 / MIN_PRICE));

const selectionsOf = (probabilities: number[]) => probabilities.map((p, i) => ({ selectionId: `s${i}`, name: `S${i}`, probability: p }));

describe('pricing properties', () => {
  it('every price is on the ladder, at or below the raw price, and the next rung is above it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1.01, max: 1000, noNaN: true }), (raw) => {
        const price = roundDownToLadder(raw);
        expect(isOnLadder(price)).toBe(true);
        expect(price).toBeLessThanOrEqual(raw + 1e-9);
        const next = LADDER_CENTS.find((c) => c / 100 > price);
        if (next !== undefined) expect(next / 100).toBeGreaterThan(raw - 1e-9);
      }),
    );
  });

  it('prices of a market are on the ladder', () => {
    fc.assert(
      fc.property(book, ({ margin: m, probabilities }) => {
        for (const s of priceSelections(m, selectionsOf(probabilities))) {
          expect(isOnLadder(s.price.decimal)).toBe(true);
          expect(s.price.decimal).toBeGreaterThanOrEqual(MIN_PRICE);
          expect(s.price.decimal).toBeLessThanOrEqual(MAX_PRICE);
        }
      }),
    );
  });

  it('a more likely selection never gets a longer price (monotone in probability)', () => {
    fc.assert(
      fc.property(probability, probability, margin, (a, b, m) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const [priceLo, priceHi] = priceSelections(m, selectionsOf([lo, hi])).map((s) => s.price.decimal);
        expect(priceHi!).toBeLessThanOrEqual(priceLo!);
      }),
    );
  });

  it('a higher margin never gets a longer price', () => {
    fc.assert(
      fc.property(probability, margin, margin, (p, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const at = (m: number) => priceSelections(m, selectionsOf([p]))[0]!.price.decimal;
        expect(at(hi)).toBeLessThanOrEqual(at(lo));
      }),
    );
  });

  it("the book's overround after rounding is at least the margin", () => {
    fc.assert(
      fc.property(book, ({ margin: m, probabilities }) => {
        const overround = priceSelections(m, selectionsOf(probabilities)).reduce((sum, s) => sum + 1 / s.price.decimal, 0) - 1;
        expect(overround).toBeGreaterThanOrEqual(m - 1e-9);
      }),
    );
  });

  it('decimal, fractional, American and implied probability agree on every rung', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LADDER_CENTS), (cents) => {
        const decimal = cents / 100;
        const price = priceOf(decimal);
        expect(price.decimal).toBe(decimal);
        expect(price.impliedProbability * decimal).toBeCloseTo(1, 12);
        // The fractional form is the price's own fraction or a traditional one within its rounding.
        expect(Math.abs(fractionalToDecimal(price.fractional) - decimal)).toBeLessThanOrEqual(FRACTION_TOLERANCE + 1e-9);
        // American odds are rounded to an integer: back to decimal within half a hundredth.
        expect(Math.abs(americanToDecimal(price.american) - decimal)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(price.american > 0).toBe(decimal >= 2);
        const [n, d] = price.fractional.split('/').map(Number);
        expect(n! >= d!).toBe(decimal >= 2);
      }),
      { numRuns: LADDER_CENTS.length * 2 },
    );
  });
});
