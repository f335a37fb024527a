import { describe, expect, it } from 'vitest';
import { isOnLadder, LADDER_CENTS, MAX_PRICE, MIN_PRICE, roundDownToLadder } from '../../../functions/domain/pricing/ladder.ts';
import { americanToDecimal, fractionalToDecimal, priceOf, toAmerican, toFractional } from '../../../functions/domain/pricing/odds.ts';
import { isClampedAtFloor, PricingError, priceSelections } from '../../../functions/domain/pricing/price-market.ts';
import { buildPriceUpdate, priceHistoryKey, repriceDecision } from '../../../functions/domain/pricing/price-update.ts';
import type { MarketItem } from '../../../functions/domain/market/market.ts';

describe('the decimal price ladder', () => {
  it('has the standard increments in each band', () => {
    const steps = new Map<string, Set<number>>();
    for (let i = 1; i < LADDER_CENTS.length; i++) {
      const from = LADDER_CENTS[i - 1]!;
      const band = from < 200 ? '1-2' : from < 300 ? '2-3' : from < 400 ? '3-4' : from < 600 ? '4-6' : from < 1000 ? '6-10' : from < 2000 ? '10-20' : from < 3000 ? '20-30' : from < 5000 ? '30-50' : from < 10000 ? '50-100' : '100-1000';
      steps.set(band, (steps.get(band) ?? new Set()).add(LADDER_CENTS[i]! - from));
    }
    expect(Object.fromEntries([...steps].map(([band, s]) => [band, [...s]]))).toEqual({
      '1-2': [1], '2-3': [2], '3-4': [5], '4-6': [10], '6-10': [20], '10-20': [50], '20-30': [100], '30-50': [200], '50-100': [500], '100-1000': [1000],
    });
    expect([MIN_PRICE, MAX_PRICE]).toEqual([1.01, 1000]);
    expect(LADDER_CENTS).toHaveLength(350);
  });

  it('rounds down to the rung at or below the raw price', () => {
    expect(roundDownToLadder(2.5)).toBe(2.5);
    expect(roundDownToLadder(1 / 0.4)).toBe(2.5); // 2.4999999999999996 in floating point
    expect(roundDownToLadder(2.519)).toBe(2.5);
    expect(roundDownToLadder(2.52)).toBe(2.52);
    expect(roundDownToLadder(3.99)).toBe(3.95);
    expect(roundDownToLadder(5.55)).toBe(5.5);
    expect(roundDownToLadder(47.9)).toBe(46);
    expect(roundDownToLadder(999.9)).toBe(990);
  });

  it('clamps outside the ladder: 1.01 below it, 1000 above it', () => {
    expect(roundDownToLadder(1.001)).toBe(1.01);
    expect(roundDownToLadder(0.5)).toBe(1.01);
    expect(roundDownToLadder(5000)).toBe(1000);
    expect(roundDownToLadder(Infinity)).toBe(1000);
    expect(() => roundDownToLadder(Number.NaN)).toThrow(/must be a number, got NaN/);
  });

  it('knows its rungs', () => {
    expect(isOnLadder(1.91)).toBe(true);
    expect(isOnLadder(2.01)).toBe(false);
    expect(isOnLadder(4.33)).toBe(false);
    expect(isOnLadder(1000)).toBe(true);
  });
});

describe('odds forms', () => {
  it('shows the conventional bookmaker fractions', () => {
    expect(toFractional(2.5)).toBe('6/4');
    expect(toFractional(2)).toBe('1/1');
    expect(toFractional(1.91)).toBe('10/11');
    expect(toFractional(3)).toBe('2/1');
    expect(toFractional(1.67)).toBe('4/6');
    expect(toFractional(1.5)).toBe('1/2');
    expect(toFractional(2.62)).toBe('13/8');
  });

  it('falls back to the reduced fraction of the profit', () => {
    expect(toFractional(2.02)).toBe('51/50');
    expect(toFractional(4.3)).toBe('33/10');
    expect(toFractional(11)).toBe('10/1');
    expect(toFractional(1000)).toBe('999/1');
    expect(toFractional(1.85)).toBe('17/20');
  });

  it('gives American odds: + for 2.0 and longer, - below', () => {
    expect(toAmerican(2.5)).toBe(150);
    expect(toAmerican(1.5)).toBe(-200);
    expect(toAmerican(2)).toBe(100);
    expect(toAmerican(1.91)).toBe(-110);
    expect(toAmerican(1.01)).toBe(-10000);
    expect(toAmerican(1000)).toBe(99900);
  });

  it('refuses prices off the ladder, naming the value', () => {
    expect(() => toFractional(2.01)).toThrow('fractional odds needs a decimal price on the ladder (1.01 to 1000), got 2.01');
    expect(() => toAmerican(0.5)).toThrow(/American odds needs a decimal price on the ladder.*got 0.5/);
  });

  it('converts back for checking', () => {
    expect(fractionalToDecimal('6/4')).toBe(2.5);
    expect(() => fractionalToDecimal('6:4')).toThrow('fractional odds look like "6/4", got "6:4"');
    expect(() => fractionalToDecimal('1/0')).toThrow(/got "1\/0"/);
    expect(americanToDecimal(-200)).toBe(1.5);
    expect(americanToDecimal(150)).toBe(2.5);
    expect(() => americanToDecimal(50)).toThrow('American odds are integers of magnitude 100 or more, got 50');
  });

  it('puts every form in one price', () => {
    expect(priceOf(2.5)).toEqual({ decimal: 2.5, fractional: '6/4', american: 150, impliedProbability: 0.4 });
  });
});

describe('priceSelections', () => {
  const threeWay = [
    { selectionId: 'home', name: 'Home', probability: 0.45 },
    { selectionId: 'draw', name: 'Draw', probability: 0.27 },
    { selectionId: 'away', name: 'Away', probability: 0.28 },
  ];

  it('applies a proportional overround and rounds each price down', () => {
    const priced = priceSelections(0.05, threeWay);
    // 1/(0.45·1.05) = 2.116 → 2.1; 1/(0.27·1.05) = 3.527 → 3.5; 1/(0.28·1.05) = 3.401 → 3.4
    expect(priced.map((s) => s.price.decimal)).toEqual([2.1, 3.5, 3.4]);
    expect(priced.map((s) => s.selectionId)).toEqual(['home', 'draw', 'away']);
    expect(priced[0]!.probability).toBe(0.45);
  });

  it('with no margin prices at the true odds, rounded down', () => {
    expect(priceSelections(0, [{ selectionId: 'a', name: 'A', probability: 0.5 }, { selectionId: 'b', name: 'B', probability: 0.5 }]).map((s) => s.price.decimal)).toEqual([2, 2]);
  });

  it('names the offending field of an unpriceable market', () => {
    const at = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return { field: (error as PricingError).field, message: (error as Error).message, isPricingError: error instanceof PricingError };
      }
      throw new Error('expected a PricingError');
    };
    expect(at(() => priceSelections(1.2, threeWay))).toEqual({ field: 'margin', message: 'margin must be a number with 0 <= margin < 1 (0.05 is a 105% book), got 1.2', isPricingError: true });
    expect(at(() => priceSelections(-0.01, threeWay)).field).toBe('margin');
    expect(at(() => priceSelections(Number.NaN, threeWay)).message).toMatch(/got NaN$/);
    expect(at(() => priceSelections('0.05' as unknown as number, threeWay)).message).toMatch(/got "0.05"$/);
    expect(at(() => priceSelections(0.05, [threeWay[0]!, { ...threeWay[1]!, probability: 1 }]))).toEqual({
      field: 'selections[1].probability',
      message: 'probability of selection draw must be a number in (0, 1), got 1',
      isPricingError: true,
    });
    expect(at(() => priceSelections(0.05, [])).field).toBe('selections');
  });

  it('says when a price is clamped at the ladder floor', () => {
    expect(isClampedAtFloor(0.97, 0.05)).toBe(true);
    expect(priceSelections(0.05, [{ selectionId: 'fav', name: 'Fav', probability: 0.97 }])[0]!.price.decimal).toBe(1.01);
    expect(isClampedAtFloor(0.9, 0.05)).toBe(false);
  });
});

describe('price updates', () => {
  const market: MarketItem = {
    id: 'm1',
    eventId: 'e1',
    sport: 'football',
    name: 'Match result',
    status: 'OPEN',
    margin: 0.05,
    version: 3,
    selections: [
      { id: 'home', name: 'Home', probability: 0.5 },
      { id: 'away', name: 'Away', probability: 0.5 },
    ],
    lastChange: { source: 'TRADER', by: 'trader1', at: '2026-05-01T10:00:00.000Z' },
    updatedAt: '2026-05-01T10:00:00.000Z',
  };

  it('builds the schema PriceUpdate from the market', () => {
    expect(buildPriceUpdate(market, '2026-05-01T10:00:00.000Z')).toEqual({
      marketId: 'm1',
      eventId: 'e1',
      sport: 'football',
      version: 3,
      status: 'OPEN',
      margin: 0.05,
      publishedAt: '2026-05-01T10:00:00.000Z',
      source: 'TRADER',
      selections: [
        { selectionId: 'home', name: 'Home', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 1 / 1.9 } },
        { selectionId: 'away', name: 'Away', probability: 0.5, price: { decimal: 1.9, fractional: '9/10', american: -111, impliedProbability: 1 / 1.9 } },
      ],
    });
  });

  it('defaults the source to FEED and the sport to null', () => {
    const { lastChange: _l, sport: _s, ...bare } = market;
    expect(buildPriceUpdate(bare, 't')).toMatchObject({ source: 'FEED', sport: null });
  });

  it('refuses unpriceable markets and bad versions', () => {
    expect(() => buildPriceUpdate({ ...market, selections: [{ id: 'x', name: 'X' }] }, 't')).toThrow('market m1 is not priceable (status OPEN)');
    expect(buildPriceUpdate({ ...market, status: 'CLOSED' }, 't').status).toBe('CLOSED');
    expect(() => buildPriceUpdate({ ...market, version: 0 }, 't')).toThrow('version must be an integer >= 1, got 0');
    expect(() => buildPriceUpdate({ ...market, margin: 1.5 }, 't')).toThrow(/margin must be a number/);
  });

  it('reprices on probabilities, margin, status or a reprice request, not on other changes', () => {
    expect(repriceDecision(undefined, market)).toEqual({ reprice: true, why: 'new market' });
    expect(repriceDecision(market, { ...market, version: 4, name: 'Renamed' })).toEqual({ reprice: false, why: 'no change to probabilities, margin or status' });
    expect(repriceDecision(market, { ...market, margin: 0.1 }).why).toBe('margin');
    expect(repriceDecision(market, { ...market, status: 'SUSPENDED' }).why).toBe('status');
    expect(repriceDecision(market, { ...market, repricedAt: 'now' }).why).toBe('reprice requested');
    const moved = { ...market, selections: [{ id: 'home', name: 'Home', probability: 0.6 }, { id: 'away', name: 'Away', probability: 0.4 }] };
    expect(repriceDecision(market, moved)).toEqual({ reprice: true, why: 'probabilities' });
    expect(repriceDecision(market, { ...moved, margin: 0.2, status: 'SETTLED' }).why).toBe('probabilities, margin, status');
  });

  it('never reprices an unpriceable market; closing a priced market reprices (its status is published)', () => {
    expect(repriceDecision(market, { ...market, status: 'CLOSED' })).toEqual({ reprice: true, why: 'status' });
    expect(repriceDecision(undefined, { ...market, selections: [{ id: 'x', name: 'X' }, { id: 'y', name: 'Y', probability: 0.5 }] }).why).toMatch(/1 selection\(s\) without probability/);
  });

  it('keys price history by time, then zero-padded version', () => {
    expect(priceHistoryKey('2026-05-01T10:00:00.000Z', 42)).toBe('2026-05-01T10:00:00.000Z#0000000042');
    expect(priceHistoryKey('2026-05-01T10:00:00.000Z', 9) < priceHistoryKey('2026-05-01T10:00:00.000Z', 10)).toBe(true);
  });
});
