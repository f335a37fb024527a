import { processingOrder } from '../domain/feed/batch-order.ts';
import { summarize, type FeedMessageOutcome, type FeedMessageResult, type IngestFeedResult, type ValidFeedMessage } from '../domain/feed/messages.ts';
import { planFeedMessage, targetOf } from '../domain/feed/plan-message.ts';
import { validateFeedMessage } from '../domain/feed/validate-message.ts';
import type { Logger } from '../shared/logger.ts';
import { LEDGER_TTL_SECONDS, type FeedStore, type LedgerEntry } from './feed-store.ts';

/** The event the ingestFeed resolver sends: `{ messages: ctx.args.messages, caller: ctx.identity.userArn }`. */
export interface IngestFeedEvent {
  messages: unknown[];
  caller?: string;
}

export interface IngestDeps {
  store: FeedStore;
  log: Logger;
  now?: () => Date;
}

/** A target that keeps changing under us: give up after this many reads, report, let the partner resend. */
const MAX_ATTEMPTS = 5;

/**
 * Applies a batch of feed messages, each at most once, and reports every message's outcome
 * in the order sent. Each feed's messages are applied in sequence order (see
 * processingOrder), so a reordered batch ends as an ordered one would. One message's
 * failure — invalid, stale, or even a storage error — never stops the others.
 */
export async function ingestFeedBatch(event: IngestFeedEvent, deps: IngestDeps): Promise<IngestFeedResult> {
  if (typeof event !== 'object' || event === null || !Array.isArray(event.messages)) {
    throw new Error(`ingest-feed: the event must be { messages: FeedMessageInput[], caller: string }, got ${JSON.stringify(event)?.slice(0, 200)}`);
  }
  const caller = typeof event.caller === 'string' && event.caller !== '' ? event.caller : 'unknown caller';
  const results: FeedMessageResult[] = new Array(event.messages.length);
  for (const index of processingOrder(event.messages)) {
    results[index] = await ingestOne(event.messages[index], caller, deps);
  }
  return summarize(results);
}

async function ingestOne(raw: unknown, caller: string, deps: IngestDeps): Promise<FeedMessageResult> {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const validation = validateFeedMessage(raw);
  const identity = validation.ok ? { feedId: validation.message.feedId, sequence: validation.message.sequence } : validation.identity;
  if (!identity) {
    const { feedId, sequence } = (raw ?? {}) as { feedId?: unknown; sequence?: unknown };
    const problem = validation.ok ? undefined : validation.problem;
    return result(String(feedId ?? ''), Number.isInteger(sequence) ? (sequence as number) : 0, 'REJECTED', problem?.reason ?? null, problem?.field ?? null);
  }
  const { feedId, sequence } = identity;
  const entry = (outcome: FeedMessageOutcome, reason?: string, field?: string): LedgerEntry => {
    const processedAt = now();
    return { feedId, sequence, outcome, reason, field, processedAt, expiresAt: Math.floor(Date.parse(processedAt) / 1000) + LEDGER_TTL_SECONDS };
  };

  // No read of the ledger first: every outcome is written with a condition on the ledger
  // entry's absence, so a duplicate shows itself at that write (and only then is the ledger
  // read, for the original outcome). That saves a request per new message.
  try {
    if (!validation.ok) {
      const { field, reason } = validation.problem;
      return await recordOnly(deps.store, entry('REJECTED', reason, field));
    }
    const message: ValidFeedMessage = validation.message;
    const target = targetOf(message);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const state = await deps.store.readState(target);
      const decision = planFeedMessage(message, state, { caller, now: now() });
      if (decision.outcome === 'STALE') return await recordOnly(deps.store, entry('STALE', decision.reason));
      if (decision.outcome === 'REJECTED') return await recordOnly(deps.store, entry('REJECTED', decision.reason, decision.field));
      const accepted = entry('ACCEPTED');
      const applied = await deps.store.apply(decision.change, accepted);
      if (applied === 'applied') return result(feedId, sequence, 'ACCEPTED', null, null);
      if (applied === 'duplicate') return duplicate(feedId, sequence, await deps.store.ledgerEntry(feedId, sequence));
      deps.log.info('feed message target changed while it was applied; reading it again', { feedId, sequence, target: `${target.table}/${target.id}`, attempt });
    }
    return result(feedId, sequence, 'REJECTED', `${target.table === 'events' ? 'event' : 'market'} ${target.id} kept changing while this message was applied (${MAX_ATTEMPTS} attempts); nothing was applied — resend it with the same sequence`, null);
  } catch (error) {
    // Storage failed for this message alone. The ledger entry and the change are written in
    // one transaction, so a resend of the same feedId and sequence is applied at most once.
    deps.log.error('feed message could not be processed', { feedId, sequence, error: (error as Error).message, errorName: (error as Error).name });
    return result(feedId, sequence, 'REJECTED', `could not be processed (${(error as Error).name}: ${(error as Error).message}); resending the same feedId and sequence is safe — it is applied at most once`, null);
  }
}

async function recordOnly(store: FeedStore, entry: LedgerEntry): Promise<FeedMessageResult> {
  if ((await store.record(entry)) === 'duplicate') return duplicate(entry.feedId, entry.sequence, await store.ledgerEntry(entry.feedId, entry.sequence));
  return result(entry.feedId, entry.sequence, entry.outcome, entry.reason ?? null, entry.field ?? null);
}

function duplicate(feedId: string, sequence: number, known: LedgerEntry | undefined): FeedMessageResult {
  const original = known ? ` at ${known.processedAt} (${known.outcome}${known.reason ? `: ${known.reason}` : ''})` : '';
  return result(feedId, sequence, 'DUPLICATE', `feed ${feedId} sequence ${sequence} was already processed${original}; nothing applied`, null);
}

function result(feedId: string, sequence: number, outcome: FeedMessageOutcome, reason: string | null, field: string | null): FeedMessageResult {
  return { feedId, sequence, outcome, reason, field };
}
