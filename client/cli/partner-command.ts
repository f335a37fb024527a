import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppSyncRequestError, createAppSyncClient } from '../../sdk/appsync-client.ts';
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
  npm run partner -- publish-price --market <id> --event <id> [--yes]
                                                        tries publishPriceUpdate with a made-up Home/Away
                                                        price and says whether the role's policy let it
                                                        through (the partner role's does not; the
                                                        PricePublisherRole's does). Give ids of no live
                                                        market or event: for one that exists it sends
                                                        nothing unless --yes, since an allowed role would
                                                        show every subscriber the made-up price

Options:
${CONNECTION_USAGE}`;

/** `npm run partner`: returns the exit code (0 as expected, 1 not as expected, 2 bad usage). */
export async function runPartnerCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...CONNECTION_ARGS, message: { type: 'string' }, market: { type: 'string' }, event: { type: 'string' }, yes: { type: 'boolean' } } });
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
    if (command === 'ingest') return await ingest(messages, connection, io);
    if (!values.yes) {
      const live = await liveTargets(values.market!, values.event!, connection.endpoint, values.outputs);
      if (live) {
        io.err(`not sent: ${live}. A role allowed to publish would show every subscriber of it a made-up Home/Away price. To check a role's permission, give a market and event that do not exist (e.g. --market mkt-permission-check --event evt-permission-check); to publish into it anyway, add --yes\n`);
        return 2;
      }
    }
    return await tryPublish(values.market!, values.event!, connection, io);
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
    if (error instanceof AppSyncRequestError && (error.status === 401 || error.status === 403 || error.errors.some((e) => /Unauthorized/.test(e.errorType ?? '')))) {
      io.err(`refused: ${roleName}'s policy does not let it call ingestFeed (${error.message}); nothing was ingested\n`);
      return 1;
    }
    io.err(`ingestFeed failed: ${(error as Error).message}\n`);
    return 1;
  }
}

/**
 * Why publishing to this market and event would reach real subscribers: they exist (read with the
 * outputs' API key), or that cannot be told; undefined when neither exists.
 */
async function liveTargets(marketId: string, eventId: string, endpoint: string, outputsPath = '.local/amplify_outputs.json'): Promise<string | undefined> {
  const apiKey = existsSync(outputsPath) ? (JSON.parse(readFileSync(outputsPath, 'utf8')) as { data?: { api_key?: string } }).data?.api_key : undefined;
  if (!apiKey) return `whether market ${marketId} or event ${eventId} is live cannot be told (no API key in ${outputsPath} to read them with)`;
  const reader = createAppSyncClient({ endpoint, auth: { type: 'API_KEY', apiKey } });
  try {
    const { market, event } = await reader.request<{ market: { status: string } | null; event: { status: string } | null }>(
      'query LiveTargets($market: ID!, $event: ID!) { market(id: $market) { status } event(id: $event) { status } }',
      { market: marketId, event: eventId },
    );
    const found = [market && `market ${marketId} exists (${market.status})`, event && `event ${eventId} exists (${event.status})`].filter(Boolean);
    return found.length > 0 ? found.join(' and ') : undefined;
  } catch (error) {
    return `whether market ${marketId} or event ${eventId} is live cannot be told (${(error as Error).message})`;
  } finally {
    reader.close();
  }
}

/**
 * Sends the made-up update and reports what the endpoint decided. Both answers are outcomes, not
 * failures: the role's IAM policy decides (infra/access/roles.ts grants publishPriceUpdate to the
 * PricePublisherRole only), and the runtime enforces it.
 */
async function tryPublish(marketId: string, eventId: string, { client, roleName }: LocalConnection, io: CliIo): Promise<number> {
  const selections = priceSelections(0.05, [
    { selectionId: 'home', name: 'Home', probability: 0.5 },
    { selectionId: 'away', name: 'Away', probability: 0.5 },
  ]);
  const input = { marketId, eventId, sport: null, version: 1, status: 'OPEN' as const, margin: 0.05, selections, publishedAt: new Date().toISOString(), source: 'FEED' as const };
  io.out(`publishPriceUpdate (a made-up Home/Away price, version 1) for market ${marketId} of event ${eventId}, signed as ${roleName}\n`);
  try {
    await client.request<PublishPriceUpdateMutation, PublishPriceUpdateMutationVariables>(PUBLISH_PRICE_UPDATE, { input });
    io.out(`allowed: ${roleName}'s policy lets it call publishPriceUpdate; subscribers of event ${eventId} received the made-up price for market ${marketId}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AppSyncRequestError && (error.status === 401 || error.status === 403 || error.errors.some((e) => /Unauthorized/.test(e.errorType ?? '')))) {
      const why = error.errors.map((e) => `${e.errorType}: ${e.message}`).join('; ') || `HTTP ${error.status}`;
      io.out(`refused: ${roleName}'s policy does not let it call publishPriceUpdate (${why}); nothing was published\n`);
      return 0;
    }
    io.err(`publishPriceUpdate failed for another reason than authorization: ${(error as Error).message}\n`);
    return 1;
  }
}
