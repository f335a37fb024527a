/**
 * The feed-ingest benchmark's partners, in a process of their own so that they never share an
 * event loop with the runtime they load. Asked over IPC for one run, they open their events and
 * markets (not timed), then either
 * - `closed`: each partner sends batches of `batch` messages back to back for `seconds`, or
 * - `paced`: together they send `rate` messages/s, each partner every `tickMs` a call with the
 *   messages that fell due since its last call (one call in flight per feed, as a partner's
 *   feed is sent in order), each message on a market drawn at random from the partner's own;
 * and report what was accepted. It says `partners-started` when the timed part begins. `via` says how a batch is applied: `appsync` is a signed
 * `ingestFeed` call (the whole path); `ledger` calls the ingest-feed Lambda's own code
 * (ingestFeedBatch over createFeedStore) in this process against the same tables, i.e. the
 * ledger's DynamoDB pattern without AppSync or the Lambda.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FeedMessageInput, IngestFeedMutation } from '../../client/generated/operations.ts';
import { INGEST_FEED } from '../../client/operations/documents.ts';
import { createFeedStore, type FeedTables } from '../../functions/ingest-feed/feed-store.ts';
import { ingestFeedBatch } from '../../functions/ingest-feed/ingest.ts';
import { createLogger } from '../../functions/shared/logger.ts';
import { createAppSyncClient, type AwsCredentials } from '../../sdk/appsync-client.ts';
import { quantile } from '../report.ts';
import type { SentMessage } from './coverage.ts';
import { createPartnerFeed, seededRandom } from './partner-feed.ts';

export interface Connection {
  graphqlUrl: string;
  region: string;
  /** The partner role's local key (signs ingestFeed) and its ARN (the caller ingest-feed records). */
  credentials: AwsCredentials & { roleArn: string };
  dynamodbEndpoint: string;
  /** The ingest-feed Lambda's tables, from its environment. */
  tables: FeedTables;
}

export type PartnersRequest = {
  via: 'appsync' | 'ledger';
  /** Names the run's feeds, events and markets, which are new to the ledger. */
  tag: string;
  partners: number;
  marketsPerPartner: number;
  seconds: number;
  connection: Connection;
} & ({ kind: 'closed'; batch: number } | { kind: 'paced'; rate: number; tickMs: number; seed: number });

export interface PartnersResult {
  type: 'partners-done';
  accepted: number;
  /** Messages answered anything but ACCEPTED, and the first such answer. */
  notAccepted: number;
  firstProblem?: string;
  calls: number;
  /** Each call's answer time (ms): p50, p99. */
  callP50: number;
  callP99: number;
  /** From the first timed send to the last answer. */
  seconds: number;
  /** CPU this process used meanwhile (ms): the ledger phase's SDK and ingest code run here. */
  cpuMs: number;
  /** Paced runs: every message, for feed → subscriber latency. */
  sent: SentMessage[];
}

type Send = (messages: FeedMessageInput[]) => Promise<{ outcomes: string[] }>;

const OPENING_CHUNK = 25;

function sender(request: PartnersRequest): { send: Send; close(): void } {
  const { connection } = request;
  if (request.via === 'appsync') {
    const client = createAppSyncClient({ endpoint: connection.graphqlUrl, region: connection.region, auth: { type: 'AWS_IAM', credentials: connection.credentials } });
    return {
      send: async (messages) => {
        const { ingestFeed } = await client.request<IngestFeedMutation>(INGEST_FEED, { messages });
        return { outcomes: ingestFeed.results.map((r) => (r.outcome === 'ACCEPTED' ? r.outcome : `${r.outcome}: ${r.reason ?? ''}`)) };
      },
      close: () => client.close(),
    };
  }
  // One client per partner, as each Lambda execution environment has its own module-scope client.
  const dynamodb = new DynamoDBClient({ endpoint: connection.dynamodbEndpoint, region: connection.region, credentials: connection.credentials });
  const store = createFeedStore(dynamodb, connection.tables);
  const log = createLogger('bench-ledger', () => {});
  return {
    send: async (messages) => {
      const result = await ingestFeedBatch({ messages, caller: connection.credentials.roleArn }, { store, log });
      return { outcomes: result.results.map((r) => (r.outcome === 'ACCEPTED' ? r.outcome : `${r.outcome}: ${r.reason ?? ''}`)) };
    },
    close: () => dynamodb.destroy(),
  };
}

async function run(request: PartnersRequest): Promise<PartnersResult> {
  const partners = Array.from({ length: request.partners }, (_, p) => ({ feed: createPartnerFeed(request.tag, p, request.marketsPerPartner), ...sender(request) }));
  for (const { feed, send } of partners) {
    const opening = feed.opening();
    for (let i = 0; i < opening.length; i += OPENING_CHUNK) {
      const { outcomes } = await send(opening.slice(i, i + OPENING_CHUNK));
      const refused = outcomes.find((o) => o !== 'ACCEPTED');
      if (refused) throw new Error(`${feed.feedId}: its opening was not accepted: ${refused}`);
    }
  }

  let accepted = 0;
  let notAccepted = 0;
  let firstProblem: string | undefined;
  const callMs: number[] = [];
  const sent: SentMessage[] = [];
  const call = async (send: Send, messages: FeedMessageInput[]) => {
    const started = performance.now();
    const { outcomes } = await send(messages);
    callMs.push(performance.now() - started);
    for (const outcome of outcomes) {
      if (outcome === 'ACCEPTED') accepted += 1;
      else {
        notAccepted += 1;
        firstProblem ??= outcome;
      }
    }
  };

  // The parent takes its CPU readings from here: the openings are not part of the measure.
  process.send!({ type: 'partners-started' });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const until = started + request.seconds * 1000;
  if (request.kind === 'closed') {
    const { batch } = request;
    await Promise.all(
      partners.map(async ({ feed, send }) => {
        let next = 0;
        while (performance.now() < until) {
          const messages = Array.from({ length: batch }, () => feed.probabilities(feed.marketIds[next++ % feed.marketIds.length]!).message);
          await call(send, messages);
        }
      }),
    );
  } else {
    const { rate, tickMs, seed } = request;
    const perPartner = rate / request.partners;
    await Promise.all(
      partners.map(async ({ feed, send }, p) => {
        const random = seededRandom(seed + p);
        let produced = 0;
        for (let tick = 1; ; tick++) {
          const due = started + tick * tickMs;
          if (due > until) break;
          if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
          const count = Math.floor(((performance.now() - started) / 1000) * perPartner) - produced;
          if (count <= 0) continue;
          produced += count;
          const drawn = Array.from({ length: count }, () => feed.probabilities(feed.marketIds[Math.floor(random() * feed.marketIds.length)]!));
          const sentAt = performance.timeOrigin + performance.now();
          await call(send, drawn.map((d) => d.message));
          const answeredAt = performance.timeOrigin + performance.now();
          for (const { message, stateIndex } of drawn) sent.push({ marketId: message.probabilities!.marketId, stateIndex, sentAt, answeredAt });
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (const partner of partners) partner.close();
  callMs.sort((a, b) => a - b);
  return {
    type: 'partners-done',
    accepted,
    notAccepted,
    ...(firstProblem && { firstProblem }),
    calls: callMs.length,
    callP50: quantile(callMs, 0.5),
    callP99: quantile(callMs, 0.99),
    seconds,
    cpuMs: (cpu.user + cpu.system) / 1000,
    sent,
  };
}

process.once('message', (request: PartnersRequest) => {
  run(request).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: Error) => {
      console.error(`bench/feed-ingest/partners.ts (${request.via}, ${request.kind}): ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
});
