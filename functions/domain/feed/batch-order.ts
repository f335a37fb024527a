/**
 * The order in which a batch is applied: each feed's messages by ascending sequence,
 * in the positions that feed's messages occupy in the batch (so feeds stay interleaved as
 * sent). A batch that arrives reordered is therefore applied exactly as if it had arrived
 * in order; repeats of one sequence keep their arrival order, so the first one sent wins
 * and the rest are duplicates. Messages without a usable feedId/sequence stay where they are.
 *
 * Returns indices into `messages`.
 */
export function processingOrder(messages: readonly unknown[]): number[] {
  const order = messages.map((_, index) => index);
  const byFeed = new Map<string, number[]>();
  messages.forEach((message, index) => {
    const { feedId, sequence } = (message ?? {}) as { feedId?: unknown; sequence?: unknown };
    if (typeof feedId !== 'string' || typeof sequence !== 'number' || !Number.isFinite(sequence)) return;
    const indices = byFeed.get(feedId) ?? [];
    indices.push(index);
    byFeed.set(feedId, indices);
  });
  for (const slots of byFeed.values()) {
    const sorted = [...slots].sort((a, b) => sequenceOf(messages[a]) - sequenceOf(messages[b]) || a - b);
    slots.forEach((slot, i) => (order[slot] = sorted[i]!));
  }
  return order;
}

function sequenceOf(message: unknown): number {
  return (message as { sequence: number }).sequence;
}
