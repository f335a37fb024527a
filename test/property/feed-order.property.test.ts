import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedStore, type FeedStore } from '../../functions/ingest-feed/feed-store.ts';
import { ingestFeedBatch } from '../../functions/ingest-feed/ingest.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import type { FeedMessageResult } from '../../functions/domain/feed/messages.ts';
import { createTables, scanAll, startLocalDynamo, type LocalDynamo, type PricestreamTables } from '../unit/functions/support/tables.ts';

/**
 * Feed application against a real DynamoDB Local: for random feeds, delivery with
 * reordering, duplicates and malformed messages ends in the state of in-order delivery,
 * and nothing is applied twice. Each run uses fresh ids so runs share the tables.
 */
const log = createLogger('property', () => {});
let dynamo: LocalDynamo;
let tables: PricestreamTables;
let store: FeedStore;
let run = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  tables = await createTables(dynamo.client, 'prop');
  store = createFeedStore(dynamo.client, tables);
});

afterAll(async () => {
  await dynamo?.stop();
});

type Action =
  | { kind: 'probabilities'; market: number; weights: number[] }
  | { kind: 'status'; market: number; status: 'OPEN' | 'SUSPENDED' | 'CLOSED' }
  | { kind: 'result'; market: number; winner: number }
  | { kind: 'event'; status: 'SCHEDULED' | 'LIVE' | 'FINISHED' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('probabilities' as const), market: fc.nat(1), weights: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 3, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), market: fc.nat(1), status: fc.constantFrom('OPEN' as const, 'SUSPENDED' as const, 'CLOSED' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('result' as const), market: fc.nat(1), winner: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('event' as const), status: fc.constantFrom('SCHEDULED' as const, 'LIVE' as const, 'FINISHED' as const) }) },
);

/** The feed of a list of actions, in order, with ids under `prefix`. */
function feedOf(prefix: string, actions: Action[]): Record<string, unknown>[] {
  const feedId = `${prefix}-feed`;
  const eventId = `${prefix}-e`;
  const market = (i: number) => `${prefix}-m${i}`;
  const selections = ['a', 'b', 'c'];
  const event = (sequence: number, status: string) => ({ feedId, sequence, type: 'EVENT', event: { eventId, name: 'E', sport: 'football', startTime: '2026-05-01T19:45:00Z', status } });
  const messages: Record<string, unknown>[] = [
    event(1, 'SCHEDULED'),
    ...[0, 1].map((i) => ({ feedId, sequence: i + 2, type: 'MARKET', market: { marketId: market(i), eventId, name: `M${i}`, selections: selections.map((id) => ({ selectionId: id, name: id })) } })),
  ];
  for (const a of actions) {
    const sequence = messages.length + 1;
    if (a.kind === 'event') messages.push(event(sequence, a.status));
    if (a.kind === 'status') messages.push({ feedId, sequence, type: 'MARKET_STATUS', marketStatus: { marketId: market(a.market), status: a.status } });
    if (a.kind === 'result') messages.push({ feedId, sequence, type: 'RESULT', result: { marketId: market(a.market), winningSelectionIds: [selections[a.winner]] } });
    if (a.kind === 'probabilities') {
      const total = a.weights.reduce((x, y) => x + y, 0);
      messages.push({ feedId, sequence, type: 'PROBABILITIES', probabilities: { marketId: market(a.market), selections: selections.map((id, i) => ({ selectionId: id, probability: a.weights[i]! / total })) } });
    }
  }
  return messages;
}

async function stateOf(prefix: string) {
  const mine = (item: Record<string, any>) => String(item.id).startsWith(`${prefix}-`);
  const strip = (item: Record<string, any>) => {
    const { updatedAt: _u, lastChange: _l, ...rest } = item;
    return JSON.parse(JSON.stringify(rest).replaceAll(`${prefix}-`, 'X-'));
  };
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return {
    events: (await scanAll(dynamo.client, tables.events)).filter(mine).map(strip).sort(byId),
    markets: (await scanAll(dynamo.client, tables.markets)).filter(mine).map(strip).sort(byId),
  };
}

const ingest = (messages: unknown[]) => ingestFeedBatch({ messages, caller: 'partner' }, { store, log });
const outcomes = (results: FeedMessageResult[]) => results.map((r) => `${r.sequence}:${r.outcome}`);

/**
 * Each property runs 10–12 feeds through DynamoDB Local: 3–4 s on an idle 2-core machine, and
 * 18–60 s measured while the rest of the suite kept both cores busy.
 */
const PROPERTY_TIMEOUT_MS = 180_000;

describe('feed delivery properties (DynamoDB Local)', () => {
  it('a batch shuffled, with duplicates and malformed messages, ends as the in-order batch; every message gets its in-order outcome', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { minLength: 1, maxLength: 12 }),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.nat(2),
        async (actions, random, duplicateIndices, malformedCount) => {
          const n = ++run;
          const ordered = feedOf(`o${n}`, actions);
          const expected = await ingest(ordered);

          const messy = feedOf(`s${n}`, actions);
          const duplicates = duplicateIndices.map((i) => ({ ...messy[i % messy.length]! }));
          const malformed = Array.from({ length: malformedCount }, (_, i) => ({ feedId: `s${n}-feed`, sequence: messy.length + 1 + i, type: 'PROBABILITIES', probabilities: null }));
          const batch = [...messy, ...duplicates, ...malformed];
          const shuffled = batch.map((m, i) => ({ m, key: random.next().value + i / batch.length })).sort((a, b) => a.key - b.key).map(({ m }) => m);
          const result = await ingest(shuffled);

          expect(await stateOf(`s${n}`)).toEqual(await stateOf(`o${n}`));
          // Each original sequence has exactly its in-order outcome once; every extra copy is a duplicate.
          const inOrder = new Map(outcomes(expected.results).map((o) => [o.split(':')[0], o]));
          const seen = new Set<string>();
          result.results.forEach((r, i) => {
            const message = shuffled[i] as { sequence: number; probabilities?: unknown };
            if (message.probabilities === null) return expect(r.outcome).toBe('REJECTED');
            const key = String(r.sequence);
            if (seen.has(key)) return expect(r.outcome).toBe('DUPLICATE');
            seen.add(key);
            expect(`${r.sequence}:${r.outcome}`).toBe(inOrder.get(key));
          });
        },
      ),
      { numRuns: 12 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('batch boundaries do not matter to an in-order feed, and a full resend changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), async (actions, batchSize) => {
        const n = ++run;
        const whole = feedOf(`w${n}`, actions);
        await ingest(whole);
        const split = feedOf(`b${n}`, actions);
        for (let i = 0; i < split.length; i += batchSize) await ingest(split.slice(i, i + batchSize));
        expect(await stateOf(`b${n}`)).toEqual(await stateOf(`w${n}`));

        const before = await stateOf(`b${n}`);
        const resent = await ingest(split);
        expect(resent.results.every((r) => r.outcome === 'DUPLICATE')).toBe(true);
        expect(await stateOf(`b${n}`)).toEqual(before);
      }),
      { numRuns: 10 },
    );
  }, PROPERTY_TIMEOUT_MS);
});
