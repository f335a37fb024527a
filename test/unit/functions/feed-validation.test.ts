import { describe, expect, it } from 'vitest';
import { PROBABILITY_SUM_TOLERANCE, validateFeedMessage, isAwsDateTime } from '../../../functions/domain/feed/validate-message.ts';
import { eventMessage, marketMessage, probabilitiesMessage, resultMessage, statusMessage } from './feed-messages.ts';

const problemOf = (raw: unknown) => {
  const v = validateFeedMessage(raw);
  if (v.ok) throw new Error('expected a problem');
  return v.problem;
};

describe('validateFeedMessage', () => {
  it('accepts a well-formed message of every type', () => {
    for (const message of [
      eventMessage(1),
      marketMessage(2),
      probabilitiesMessage(3, { home: 0.5, draw: 0.3, away: 0.2 }),
      statusMessage(4, 'SUSPENDED'),
      resultMessage(5, ['home']),
      { ...eventMessage(6), sentAt: '2026-05-01T19:45:00.123+01:00', market: null, result: undefined },
    ]) {
      expect(validateFeedMessage(message)).toEqual({ ok: true, message });
    }
  });

  it('needs an object with a feedId and a sequence >= 1, and says when it cannot be recorded', () => {
    expect(validateFeedMessage('hello')).toEqual({ ok: false, problem: { field: 'message', reason: 'must be an object, got string "hello"' } });
    expect(validateFeedMessage({ ...eventMessage(1), feedId: '' })).toEqual({ ok: false, problem: { field: 'feedId', reason: 'must be a non-empty string, got string ""' } });
    expect(validateFeedMessage({ ...eventMessage(1), sequence: 0 })).toEqual({ ok: false, problem: { field: 'sequence', reason: 'must be an integer from 1 to 2147483647, got number 0' } });
    expect(problemOf({ ...eventMessage(1), sequence: 1.5 }).field).toBe('sequence');
    expect(problemOf({ ...eventMessage(1), sequence: '2' }).reason).toBe('must be an integer from 1 to 2147483647, got string "2"');
    expect(problemOf({ ...eventMessage(1), feedId: 'x'.repeat(129) }).reason).toBe('must be at most 128 characters, got 129');
  });

  it('keeps the identity of a message whose body is wrong, so the ledger can record the rejection', () => {
    expect(validateFeedMessage({ ...eventMessage(7), type: 'GOAL' })).toEqual({
      ok: false,
      identity: { feedId: 'partner-a', sequence: 7 },
      problem: { field: 'type', reason: 'must be one of EVENT, MARKET, PROBABILITIES, MARKET_STATUS, RESULT, got string "GOAL"' },
    });
  });

  it('needs exactly the member named by type', () => {
    expect(problemOf({ feedId: 'f', sequence: 1, type: 'PROBABILITIES' })).toEqual({ field: 'probabilities', reason: 'a PROBABILITIES message must carry `probabilities`' });
    expect(problemOf({ ...probabilitiesMessage(1, { a: 0.5, b: 0.5 }), market: marketMessage(1).market })).toEqual({
      field: 'market',
      reason: 'a PROBABILITIES message carries only `probabilities`, not `market`',
    });
    expect(problemOf({ ...eventMessage(1), type: 'RESULT' })).toEqual({ field: 'result', reason: 'a RESULT message must carry `result`' });
    expect(problemOf({ ...eventMessage(1), event: [] })).toEqual({ field: 'event', reason: 'must be an object, got an array of 0' });
  });

  it('checks sentAt as an AWSDateTime', () => {
    expect(problemOf({ ...eventMessage(1), sentAt: 'yesterday' })).toEqual({ field: 'sentAt', reason: 'must be an AWSDateTime such as 2026-05-01T19:45:00Z, got string "yesterday"' });
    expect(isAwsDateTime('2026-05-01T19:45:00Z')).toBe(true);
    expect(isAwsDateTime('2026-05-01T19:45Z')).toBe(true);
    expect(isAwsDateTime('2026-05-01T19:45:00')).toBe(false); // the time zone is required
    expect(isAwsDateTime('2026-13-45T19:45:00Z')).toBe(false);
  });

  it('checks EVENT content', () => {
    expect(problemOf(eventMessage(1, { status: 'POSTPONED' }))).toEqual({ field: 'event.status', reason: 'must be one of SCHEDULED, LIVE, FINISHED, CANCELLED, got string "POSTPONED"' });
    expect(problemOf(eventMessage(1, { startTime: 1714592700 })).field).toBe('event.startTime');
    expect(problemOf(eventMessage(1, { name: '   ' })).field).toBe('event.name');
    expect(problemOf(eventMessage(1, { sport: undefined }))).toEqual({ field: 'event.sport', reason: 'must be a non-empty string, got nothing' });
  });

  it('checks MARKET content: two or more distinct selections with names', () => {
    expect(problemOf(marketMessage(1, ['only']))).toEqual({ field: 'market.selections', reason: 'must have at least 2 entries, got 1' });
    expect(problemOf(marketMessage(1, ['a', 'b', 'a']))).toEqual({ field: 'market.selections[2].selectionId', reason: 'selection a appears more than once' });
    expect(problemOf(marketMessage(1, ['a', 'b'], { selections: [{ selectionId: 'a', name: 'A' }, { selectionId: 'b' }] }))).toEqual({ field: 'market.selections[1].name', reason: 'must be a non-empty string, got nothing' });
    expect(problemOf(marketMessage(1, ['a', 'b'], { eventId: null })).field).toBe('market.eventId');
    expect(problemOf(marketMessage(1, ['a', 'b'], { selections: 'a,b' })).reason).toBe('must be a list, got string "a,b"');
  });

  it('checks PROBABILITIES: each in (0, 1), distinct, summing to 1 within the tolerance', () => {
    expect(PROBABILITY_SUM_TOLERANCE).toBe(0.01);
    expect(problemOf(probabilitiesMessage(1, { home: 0.5, draw: 1, away: 0.2 }))).toEqual({ field: 'probabilities.selections[1].probability', reason: 'must be a number strictly between 0 and 1, got number 1' });
    expect(problemOf(probabilitiesMessage(1, { home: 0, draw: 0.5, away: 0.5 })).field).toBe('probabilities.selections[0].probability');
    expect(problemOf(probabilitiesMessage(1, { home: 0.5, draw: 0.3, away: 0.1 }))).toEqual({ field: 'probabilities.selections', reason: 'probabilities must sum to 1 (within ±0.01), got 0.9' });
    expect(validateFeedMessage(probabilitiesMessage(1, { home: 0.334, draw: 0.333, away: 0.342 })).ok).toBe(true); // 1.009
    expect(problemOf(probabilitiesMessage(1, { home: 0.334, draw: 0.333, away: 0.344 })).reason).toMatch(/got 1.011$/);
    const twice = probabilitiesMessage(1, { home: 0.5 });
    twice.probabilities.selections.push({ selectionId: 'home', probability: 0.5 });
    expect(problemOf(twice)).toEqual({ field: 'probabilities.selections[1].selectionId', reason: 'selection home appears more than once' });
    expect(problemOf({ ...probabilitiesMessage(1, {}), probabilities: { marketId: 'm1', selections: [] } })).toEqual({ field: 'probabilities.selections', reason: 'must have at least 1 entry, got 0' });
    expect(problemOf({ ...probabilitiesMessage(1, {}), probabilities: { marketId: 'm1', selections: [{ selectionId: 'a', probability: '0.5' }] } }).field).toBe('probabilities.selections[0].probability');
  });

  it('checks MARKET_STATUS: a status, never SETTLED', () => {
    expect(problemOf(statusMessage(1, 'PAUSED')).field).toBe('marketStatus.status');
    expect(problemOf(statusMessage(1, 'SETTLED'))).toEqual({ field: 'marketStatus.status', reason: 'a market is SETTLED by a RESULT message that names the winners, not by MARKET_STATUS' });
  });

  it('checks RESULT: distinct winners', () => {
    expect(problemOf(resultMessage(1, []))).toEqual({ field: 'result.winningSelectionIds', reason: 'must have at least 1 entry, got 0' });
    expect(problemOf(resultMessage(1, ['home', 'home'])).field).toBe('result.winningSelectionIds[1]');
    expect(problemOf(resultMessage(1, ['home', ''])).field).toBe('result.winningSelectionIds[1]');
  });
});
