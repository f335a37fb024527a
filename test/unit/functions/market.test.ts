import { describe, expect, it } from 'vitest';
import { isPriceable, settlementProblem, statusTransitionProblem, type MarketItem } from '../../../functions/domain/market/market.ts';

const market: MarketItem = {
  id: 'm1',
  eventId: 'e1',
  name: 'M',
  status: 'OPEN',
  margin: 0.05,
  version: 1,
  selections: [{ id: 'a', name: 'A', probability: 0.5 }, { id: 'b', name: 'B', probability: 0.5 }],
};

describe('isPriceable', () => {
  it('needs every probability, in any status (a CLOSED market is published too)', () => {
    expect(isPriceable(market)).toBe(true);
    expect(isPriceable({ ...market, status: 'SUSPENDED' })).toBe(true);
    expect(isPriceable({ ...market, status: 'SETTLED' })).toBe(true);
    expect(isPriceable({ ...market, status: 'CLOSED' })).toBe(true);
    expect(isPriceable({ ...market, selections: [{ id: 'a', name: 'A', probability: 0.5 }, { id: 'b', name: 'B' }] })).toBe(false);
    expect(isPriceable({ ...market, selections: [{ id: 'a', name: 'A', probability: null as unknown as number }] })).toBe(false);
    expect(isPriceable({ ...market, selections: [] })).toBe(false);
  });
});

describe('statusTransitionProblem (feed MARKET_STATUS)', () => {
  it('allows OPEN ⇄ SUSPENDED, either → CLOSED, and repeating the current status', () => {
    for (const [from, to] of [['OPEN', 'SUSPENDED'], ['SUSPENDED', 'OPEN'], ['OPEN', 'CLOSED'], ['SUSPENDED', 'CLOSED'], ['OPEN', 'OPEN'], ['CLOSED', 'CLOSED']] as const) {
      expect(statusTransitionProblem(from, to)).toBeUndefined();
    }
  });

  it('refuses leaving CLOSED or SETTLED, and SETTLED without a result, saying why', () => {
    expect(statusTransitionProblem('CLOSED', 'OPEN')).toBe('a CLOSED market cannot become OPEN: that status is final');
    expect(statusTransitionProblem('SETTLED', 'SETTLED')).toBe('a market is SETTLED only with its result (a RESULT message or a SETTLE_MARKET job)');
    expect(statusTransitionProblem('SETTLED', 'SUSPENDED')).toBe('a SETTLED market cannot become SUSPENDED: that status is final');
    expect(statusTransitionProblem('OPEN', 'SETTLED')).toMatch(/^a market is SETTLED only with its result/);
  });
});

describe('settlementProblem', () => {
  it('accepts distinct winners of the market', () => {
    expect(settlementProblem(market, ['a'])).toBeUndefined();
    expect(settlementProblem({ ...market, status: 'CLOSED' }, ['a', 'b'])).toBeUndefined();
  });

  it('names the bad winner or the market', () => {
    expect(settlementProblem(market, [])).toEqual({ reason: 'a result names at least one winning selection' });
    expect(settlementProblem(market, ['a', 'z'])).toEqual({ reason: 'selection z is not a selection of market m1 (a, b)', winnerIndex: 1 });
    expect(settlementProblem(market, ['a', 'a'])).toEqual({ reason: 'selection a is named twice', winnerIndex: 1 });
    expect(settlementProblem({ ...market, status: 'SETTLED' }, ['a'])).toEqual({ reason: 'market m1 is already SETTLED (winners none recorded)' });
  });
});
