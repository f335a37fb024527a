/** Builders of well-formed feed messages for the feed tests. */
export const FEED = 'partner-a';

export const eventMessage = (sequence: number, overrides: Record<string, unknown> = {}, feedId = FEED) => ({
  feedId,
  sequence,
  type: 'EVENT',
  event: { eventId: 'e1', name: 'Reds v Blues', sport: 'football', startTime: '2026-05-01T19:45:00Z', status: 'SCHEDULED', ...overrides },
});

export const marketMessage = (sequence: number, selections = ['home', 'draw', 'away'], overrides: Record<string, unknown> = {}, feedId = FEED) => ({
  feedId,
  sequence,
  type: 'MARKET',
  market: { marketId: 'm1', eventId: 'e1', name: 'Match result', selections: selections.map((id) => ({ selectionId: id, name: id.toUpperCase() })), ...overrides },
});

export const probabilitiesMessage = (sequence: number, probabilities: Record<string, number>, marketId = 'm1', feedId = FEED) => ({
  feedId,
  sequence,
  type: 'PROBABILITIES',
  probabilities: { marketId, selections: Object.entries(probabilities).map(([selectionId, probability]) => ({ selectionId, probability })) },
});

export const statusMessage = (sequence: number, status: string, marketId = 'm1', feedId = FEED) => ({
  feedId,
  sequence,
  type: 'MARKET_STATUS',
  marketStatus: { marketId, status },
});

export const resultMessage = (sequence: number, winningSelectionIds: string[], marketId = 'm1', feedId = FEED) => ({
  feedId,
  sequence,
  type: 'RESULT',
  result: { marketId, winningSelectionIds },
});
