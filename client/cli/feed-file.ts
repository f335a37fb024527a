import { readFileSync } from 'node:fs';

/** The fields of the schema's FeedMessageInput: AppSync refuses a whole batch for any other. */
const FEED_MESSAGE_FIELDS = ['feedId', 'sequence', 'type', 'sentAt', 'event', 'market', 'probabilities', 'marketStatus', 'result'];

/**
 * Reads a feed file: a JSON array of FeedMessageInput, or `{ "messages": [...] }`. Checks
 * only what would make AppSync refuse a whole batch (not an object, an unknown field); the
 * rest is ingestFeed's to judge, message by message.
 */
export function readFeedFile(path: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the feed file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); a feed file is a JSON array of feed messages`);
  }
  const messages = Array.isArray(parsed) ? parsed : (parsed as { messages?: unknown })?.messages;
  if (!Array.isArray(messages)) {
    throw new Error(`${path} must hold a JSON array of feed messages, or an object { "messages": [...] }; got ${parsed === null ? 'null' : typeof parsed}${typeof parsed === 'object' && parsed ? ` with keys ${Object.keys(parsed).join(', ') || '(none)'}` : ''}`);
  }
  messages.forEach((message, index) => {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new Error(`${path}: message ${index + 1} must be an object like { "feedId": "f1", "sequence": 1, "type": "EVENT", "event": {...} }; got ${JSON.stringify(message)}`);
    }
    const unknown = Object.keys(message).find((key) => !FEED_MESSAGE_FIELDS.includes(key));
    if (unknown) {
      throw new Error(`${path}: message ${index + 1} has the field "${unknown}", which FeedMessageInput does not have (it has ${FEED_MESSAGE_FIELDS.join(', ')}); AppSync would refuse its whole batch`);
    }
  });
  return messages;
}
