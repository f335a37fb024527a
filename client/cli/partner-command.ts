import { parseArgs } from 'node:util';
import { AppSyncRequestError } from '../../sdk/appsync-client.ts';
import { INGEST_FEED, PUBLISH_PRICE_UPDATE } from '../operations/documents.ts';
import type { FeedMessageInput, IngestFeedMutation, IngestFeedMutationVariables, PublishPriceUpdateMutation, PublishPriceUpdateMutationVariables } from '../generated/operations.ts';
import { priceSelections } from '../../functions/domain/pricing/price-market.ts';
import type { CliIo } from './feed-command.ts';
import { readFeedFile } from './feed-file.ts';
import { connectFromArgs, CONNECTION_ARGS, CONNECTION_USAGE, type LocalConnection } from './local-connection.ts';

export const PARTNER_USAGE = `Acts as a partner against the local runtime, signed with the partner role's local key.

Usage:
  npm run partner -- ingest <file>                      sends the feed messages of <file> in one ingestFeed call
  npm run partner -- ingest --message '<json>'          sends one message
  npm run partner -- publish-price --market <id> --event <id>
                                                        tries publishPriceUpdate, which the partner
                                                        role may not call: the runtime must refuse it

Options:
${CONNECTION_USAGE}`;

/** `npm run partner`: returns the exit code (0 as expected, 1 not as expected, 2 bad usage). */
export async function runPartnerCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...CONNECTION_ARGS, message: { type: 'string' }, market: { type: 'string' }, event: { type: 'string' } } });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${PARTNER_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(`${PARTNER_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command !== 'ingest' && command !== 'publish-price') {
    io.err(`unknown command "${command}"; expected ingest or publish-price\n\n${PARTNER_USAGE}\n`);
    return 2;
  }

  let messages: unknown[] = [];
  if (command === 'ingest') {
    try {
      if (values.message !== undefined) {
        if (rest.length) throw new Error('give either a feed file or --message, not both');
        const one = JSON.parse(values.message) as unknown;
        messages = Array.isArray(one) ? one : [one];
      } else if (rest.length === 1) {
        messages = readFeedFile(rest[0]!);
      } else {
        throw new Error(`ingest needs one feed file or --message '<json>', got ${rest.length ? rest.join(' ') : 'neither'}`);
      }
    } catch (error) {
      io.err(`${(error as Error).message}\n`);
      return 2;
    }
  } else if (!values.market || !values.event) {
    io.err(`publish-price needs --market <id> and --event <id>\n\n${PARTNER_USAGE}\n`);
    return 2;
  }

  let connection;
  try {
    connection = connectFromArgs(values);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 1;
  }
  try {
    return command === 'ingest' ? await ingest(messages, connection, io) : await tryPublish(values.market!, values.event!, connection, io);
  } finally {
    connection.client.close();
  }
}

async function ingest(messages: unknown[], { client, roleName, endpoint }: LocalConnection, io: CliIo): Promise<number> {
  io.out(`ingestFeed: ${messages.length} message(s) to ${endpoint} as ${roleName}\n`);
  try {
    const { ingestFeed } = await client.request<IngestFeedMutation, IngestFeedMutationVariables>(INGEST_FEED, { messages: messages as FeedMessageInput[] });
    for (const r of ingestFeed.results) {
      io.out(`  ${r.feedId}#${r.sequence}  ${r.outcome}${r.field ? `  [${r.field}]` : ''}${r.reason ? `  ${r.reason}` : ''}\n`);
    }
    io.out(`accepted ${ingestFeed.accepted}, duplicates ${ingestFeed.duplicates}, stale ${ingestFeed.stale}, rejected ${ingestFeed.rejected}\n`);
    return 0;
  } catch (error) {
    io.err(`ingestFeed failed: ${(error as Error).message}\n`);
    return 1;
  }
}

async function tryPublish(marketId: string, eventId: string, { client, roleName }: LocalConnection, io: CliIo): Promise<number> {
  const selections = priceSelections(0.05, [
    { selectionId: 'home', name: 'Home', probability: 0.5 },
    { selectionId: 'away', name: 'Away', probability: 0.5 },
  ]);
  const input = { marketId, eventId, sport: null, version: 1, status: 'OPEN' as const, margin: 0.05, selections, publishedAt: new Date().toISOString(), source: 'FEED' as const };
  io.out(`publishPriceUpdate for market ${marketId} as ${roleName} (a partner role may call ingestFeed only)\n`);
  try {
    const data = await client.request<PublishPriceUpdateMutation, PublishPriceUpdateMutationVariables>(PUBLISH_PRICE_UPDATE, { input });
    io.err(`NOT REFUSED: the runtime let ${roleName} publish a price update (${JSON.stringify(data.publishPriceUpdate)}): the role's policy is not enforced\n`);
    return 1;
  } catch (error) {
    if (error instanceof AppSyncRequestError && (error.status === 401 || error.status === 403 || error.errors.some((e) => /Unauthorized/.test(e.errorType ?? '')))) {
      const why = error.errors.map((e) => `${e.errorType}: ${e.message}`).join('; ') || `HTTP ${error.status}`;
      io.out(`refused, as it must be: ${why}\n`);
      return 0;
    }
    io.err(`publishPriceUpdate failed for another reason than authorization: ${(error as Error).message}\n`);
    return 1;
  }
}
