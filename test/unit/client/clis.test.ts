import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFeedCommand, progressLine } from '../../../client/cli/feed-command.ts';
import { readFeedFile } from '../../../client/cli/feed-file.ts';
import { runPartnerCommand } from '../../../client/cli/partner-command.ts';
import { createFeedStore, type FeedStore } from '../../../functions/ingest-feed/feed-store.ts';
import { ingestFeedBatch } from '../../../functions/ingest-feed/ingest.ts';
import { createLogger } from '../../../functions/shared/logger.ts';
import { startFakeAppSync, type FakeAppSync } from '../functions/support/fake-appsync.ts';
import { createTables, scanAll, startLocalDynamo, TEST_REGION, type LocalDynamo, type PricestreamTables } from '../functions/support/tables.ts';

const PARTNER = { name: 'PartnerFeedRole1A2B3C4D', accessKeyId: 'AKIAPARTNERLOCAL0001', secretAccessKey: 'partner-secret', role: 'arn:aws:iam::000000000000:role/PartnerFeedRole' };
const PUBLISHER = { name: 'PricePublisherRole9Z8Y', accessKeyId: 'AKIAPUBLISHERLOCAL01', secretAccessKey: 'publisher-secret', role: 'arn:aws:iam::000000000000:role/PricePublisherRole' };
const SAMPLE = new URL('../../../client/feeds/sample-feed.json', import.meta.url).pathname;

let dir: string;
let dynamo: LocalDynamo;
let tables: PricestreamTables;
let store: FeedStore;
let appsync: FakeAppSync;
let credentialsPath: string;
let outputsPath: string;

/** An AppSync stand-in whose ingestFeed runs the real ingest over DynamoDB Local, for signed callers only. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pricestream-cli-'));
  dynamo = await startLocalDynamo();
  tables = await createTables(dynamo.client, 'cli');
  store = createFeedStore(dynamo.client, tables);
  appsync = await startFakeAppSync({ region: TEST_REGION, secrets: { [PARTNER.accessKeyId]: PARTNER.secretAccessKey, [PUBLISHER.accessKeyId]: PUBLISHER.secretAccessKey } });
  credentialsPath = join(dir, 'credentials.json');
  outputsPath = join(dir, 'amplify_outputs.json');
  writeFileSync(credentialsPath, JSON.stringify({ users: [], iam: [PARTNER, PUBLISHER] }));
  writeFileSync(outputsPath, JSON.stringify({ version: '1.4', data: { url: appsync.url, aws_region: TEST_REGION, api_key: 'da2-cli-test' } }));
});

afterEach(() => {
  appsync.requests.length = 0;
});

afterAll(async () => {
  await appsync?.close();
  await dynamo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function answerIngest() {
  appsync.respond = async (request) => {
    if (!request.signature.ok) return { status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: request.signature.message }] } };
    const result = await ingestFeedBatch({ messages: request.variables.messages, caller: 'arn:aws:sts::000000000000:assumed-role/PartnerFeedRole/cli' }, { store, log: createLogger('test', () => {}) });
    return { status: 200, body: { data: { ingestFeed: result } } };
  };
}

function io(isTty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t), isTty }, out, err, text: () => out.join(''), errors: () => err.join('') };
}

const connection = () => ['--credentials', credentialsPath, '--outputs', outputsPath];

describe('npm run feed', () => {
  it('replays the sample feed: every message gets its outcome, signed as the partner role', async () => {
    answerIngest();
    const run = io();
    expect(await runFeedCommand([SAMPLE, '--rate', '10000', ...connection()], run.io)).toBe(0);
    const text = run.text();
    expect(text).toMatch(new RegExp(`^replaying 31 message\\(s\\) from ${SAMPLE} to ${appsync.url} as PartnerFeedRole1A2B3C4D, 10000 msg/s in batches of 25\\n`));
    expect(text).toContain('  accepted 26, duplicate 2, stale 1, rejected 2\n');
    expect(text).toContain('  sample-feed#26 REJECTED [probabilities.selections]: probabilities must sum to 1 (within ±0.01), got 1.3\n');
    expect(text).toContain('  sample-feed#27 REJECTED [probabilities]: a PROBABILITIES message must carry `probabilities`\n');
    expect(text).toMatch(/ {2}sample-feed#9 DUPLICATE: feed sample-feed sequence 9 was already processed at \S+ \(ACCEPTED\); nothing applied\n/);
    expect(text).toContain('  sample-feed#14 STALE: feed sample-feed already applied sequence 24 to the probabilities of market mkt-reds-blues-goals; sequence 14 is not newer\n');
    expect(text).toMatch(/sent 31\/31 {2}accepted 26 {2}duplicate 2 {2}stale 1 {2}rejected 2 {2}[\d.]+ msg\/s\n/);
    expect(appsync.requests.map((r) => [r.field, r.signature.ok, r.variables.messages.length])).toEqual([['ingestFeed', true, 25], ['ingestFeed', true, 6]]);

    const markets = await scanAll(dynamo.client, tables.markets);
    expect(markets.map((m) => [m.id, m.status]).sort()).toEqual([['mkt-reds-blues-btts', 'SETTLED'], ['mkt-reds-blues-goals', 'OPEN'], ['mkt-reds-blues-result', 'OPEN']]);
  });

  it('replays it again under another feed id on a terminal, rewriting one progress line', async () => {
    answerIngest();
    const run = io(true);
    expect(await runFeedCommand([SAMPLE, '--rate', '10000', '--batch-size', '31', '--feed-id', 'replay-2', ...connection()], run.io)).toBe(0);
    expect(run.out.filter((t) => t.startsWith('\rsent '))).toHaveLength(1);
    // The settled market refuses the new feed's definition; the rest applies over the first feed's state.
    expect(run.text()).toContain('replay-2#4 REJECTED [market.marketId]: market mkt-reds-blues-btts is SETTLED; its definition is final');
  });

  it('explains bad usage and bad input', async () => {
    const none = io();
    expect(await runFeedCommand([], none.io)).toBe(2);
    expect(none.errors()).toMatch(/^expected one feed file, got none\n\nReplays a feed file/);
    const rate = io();
    expect(await runFeedCommand([SAMPLE, '--rate', 'fast'], rate.io)).toBe(2);
    expect(rate.errors()).toBe('--rate must be a positive number, got "fast"\n');
    const missing = io();
    expect(await runFeedCommand([join(dir, 'nope.json')], missing.io)).toBe(2);
    expect(missing.errors()).toBe(`cannot read the feed file ${join(dir, 'nope.json')}: no such file\n`);
    const noRuntime = io();
    expect(await runFeedCommand([SAMPLE, '--credentials', join(dir, 'absent.json')], noRuntime.io)).toBe(1);
    expect(noRuntime.errors()).toBe(`the credentials file ${join(dir, 'absent.json')} does not exist: start the local runtime with \`npm start\` (it writes it), or pass --credentials <path>\n`);
    const noRole = io();
    expect(await runFeedCommand([SAMPLE, ...connection(), '--role', 'AdminRole'], noRole.io)).toBe(1);
    expect(noRole.errors()).toBe(`no IAM credential named AdminRole… in ${credentialsPath}; it has PartnerFeedRole1A2B3C4D, PricePublisherRole9Z8Y (pass --role <name>)\n`);
    const help = io();
    expect(await runFeedCommand(['--help'], help.io)).toBe(0);
    expect(help.text()).toContain('Usage: npm run feed -- <file> [--rate <msg/s>]');
  });

  it('reports a refused batch with the progress before it', async () => {
    appsync.respond = () => ({ status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] } });
    const run = io();
    expect(await runFeedCommand([SAMPLE, '--rate', '10000', ...connection()], run.io)).toBe(1);
    expect(run.errors()).toBe(
      'ingestFeed failed for messages 1-25 of 31: mutation IngestFeed: AppSync answered HTTP 401 with UnauthorizedException: You are not authorized to make this call.\n' +
        '  before it failed: sent 0/31  accepted 0  duplicate 0  stale 0  rejected 0  0.0 msg/s\n',
    );
  });

  it('formats a progress line', () => {
    expect(progressLine({ sent: 5, total: 9, accepted: 3, duplicate: 1, stale: 0, rejected: 1, elapsedMs: 1000, messagesPerSecond: 5 })).toBe('sent 5/9  accepted 3  duplicate 1  stale 0  rejected 1  5.0 msg/s');
  });
});

describe('feed files', () => {
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads an array or { messages }, and names what is wrong', () => {
    expect(readFeedFile(file('a.json', '[{"feedId":"f","sequence":1,"type":"EVENT"}]'))).toHaveLength(1);
    expect(readFeedFile(file('b.json', '{"messages":[]}'))).toEqual([]);
    expect(() => readFeedFile(file('c.json', '{"feed":[]}'))).toThrow(`${join(dir, 'c.json')} must hold a JSON array of feed messages, or an object { "messages": [...] }; got object with keys feed`);
    expect(() => readFeedFile(file('d.json', '[1'))).toThrow(new RegExp(`^${join(dir, 'd.json')} is not valid JSON \\(.*\\); a feed file is a JSON array of feed messages$`));
    expect(() => readFeedFile(file('e.json', '[{"feedId":"f"}, "x"]'))).toThrow(`${join(dir, 'e.json')}: message 2 must be an object like { "feedId": "f1", "sequence": 1, "type": "EVENT", "event": {...} }; got "x"`);
    expect(() => readFeedFile(file('f.json', '[{"feedId":"f","comment":"hi"}]'))).toThrow(
      `${join(dir, 'f.json')}: message 1 has the field "comment", which FeedMessageInput does not have (it has feedId, sequence, type, sentAt, event, market, probabilities, marketStatus, result); AppSync would refuse its whole batch`,
    );
  });
});

describe('npm run partner', () => {
  it('ingests one message and prints its outcome', async () => {
    answerIngest();
    const run = io();
    const message = JSON.stringify({ feedId: 'partner-cli', sequence: 1, type: 'EVENT', event: { eventId: 'evt-cli', name: 'CLI v Tests', sport: 'tennis', startTime: '2026-07-01T12:00:00Z', status: 'SCHEDULED' } });
    expect(await runPartnerCommand(['ingest', '--message', message, ...connection()], run.io)).toBe(0);
    expect(run.text()).toBe(`ingestFeed: 1 message(s) to ${appsync.url} as PartnerFeedRole1A2B3C4D\n  partner-cli#1  ACCEPTED\naccepted 1, duplicates 0, stale 0, rejected 0\n`);
  });

  /** The fake answers the live-target read (market and event by id) as `existing` says, and refuses publishing unless `allow`. */
  function answerPublish({ existing = [] as string[], allow = false }) {
    appsync.respond = (request) => {
      if (request.field === 'market') {
        const { market, event } = request.variables as { market: string; event: string };
        return { status: 200, body: { data: { market: existing.includes(market) ? { status: 'OPEN' } : null, event: existing.includes(event) ? { status: 'LIVE' } : null } } };
      }
      if (allow) return { status: 200, body: { data: { publishPriceUpdate: request.variables.input } } };
      return { status: 200, body: { data: { [request.field]: null }, errors: [{ path: [request.field], errorType: 'Unauthorized', message: `Not Authorized to access ${request.field} on type Mutation` }] } };
    };
  }
  const published = () => appsync.requests.filter((r) => r.field === 'publishPriceUpdate');

  it('says that the partner role was refused publishPriceUpdate, for a market that is not live', async () => {
    answerPublish({});
    const run = io();
    expect(await runPartnerCommand(['publish-price', '--market', 'm1', '--event', 'e1', ...connection()], run.io)).toBe(0);
    expect(run.text()).toBe(
      'publishPriceUpdate (a made-up Home/Away price, version 1) for market m1 of event e1, signed as PartnerFeedRole1A2B3C4D\n' +
        "refused: PartnerFeedRole1A2B3C4D's policy does not let it call publishPriceUpdate (Unauthorized: Not Authorized to access publishPriceUpdate on type Mutation); nothing was published\n",
    );
    expect(appsync.requests[0]!.headers['x-api-key']).toBe('da2-cli-test');
    expect(published()[0]!.signature).toEqual({ ok: true, accessKeyId: PARTNER.accessKeyId });
    expect(published()[0]!.variables.input).toMatchObject({ marketId: 'm1', eventId: 'e1', selections: [{ price: { decimal: 1.9 } }, { price: { decimal: 1.9 } }] });
  });

  it("says that the publisher role's policy allows it, which is true and not a failure", async () => {
    answerPublish({ allow: true });
    const run = io();
    expect(await runPartnerCommand(['publish-price', '--market', 'm1', '--event', 'e1', '--role', 'PricePublisherRole', ...connection()], run.io)).toBe(0);
    expect(run.text()).toContain("allowed: PricePublisherRole9Z8Y's policy lets it call publishPriceUpdate; subscribers of event e1 received the made-up price for market m1\n");
    expect(run.errors()).toBe('');
    expect(published()[0]!.signature).toEqual({ ok: true, accessKeyId: PUBLISHER.accessKeyId });
  });

  it('sends nothing into a live market or event unless --yes', async () => {
    answerPublish({ existing: ['mkt-live', 'evt-live'], allow: true });
    const run = io();
    expect(await runPartnerCommand(['publish-price', '--market', 'mkt-live', '--event', 'evt-live', '--role', 'PricePublisherRole', ...connection()], run.io)).toBe(2);
    expect(run.errors()).toMatch(/^not sent: market mkt-live exists \(OPEN\) and event evt-live exists \(LIVE\)\. A role allowed to publish would show every subscriber of it a made-up Home\/Away price\./);
    expect(published()).toEqual([]);
    const anyway = io();
    expect(await runPartnerCommand(['publish-price', '--market', 'mkt-live', '--event', 'evt-live', '--role', 'PricePublisherRole', '--yes', ...connection()], anyway.io)).toBe(0);
    expect(published()).toHaveLength(1);
  });

  it('sends nothing when it cannot tell whether the market is live', async () => {
    answerPublish({ allow: true });
    const noKey = join(dir, 'outputs-without-key.json');
    writeFileSync(noKey, JSON.stringify({ version: '1.4', data: { url: appsync.url, aws_region: TEST_REGION } }));
    const run = io();
    expect(await runPartnerCommand(['publish-price', '--market', 'm1', '--event', 'e1', '--credentials', credentialsPath, '--outputs', noKey], run.io)).toBe(2);
    expect(run.errors()).toMatch(/^not sent: whether market m1 or event e1 is live cannot be told \(no API key in .*outputs-without-key\.json to read them with\)/);
    expect(appsync.requests).toEqual([]);
  });

  it('says plainly when a role may not ingest', async () => {
    appsync.respond = (request) => ({ status: 200, body: { data: null, errors: [{ path: [request.field], errorType: 'Unauthorized', message: `Not Authorized to access ${request.field} on type Mutation` }] } });
    const run = io();
    expect(await runPartnerCommand(['ingest', '--message', '{"feedId":"f","sequence":1,"type":"EVENT"}', '--role', 'PricePublisherRole', ...connection()], run.io)).toBe(1);
    expect(run.errors()).toMatch(/^refused: PricePublisherRole9Z8Y's policy does not let it call ingestFeed \(.*Not Authorized to access ingestFeed on type Mutation.*\); nothing was ingested\n$/);
  });

  it('explains bad usage', async () => {
    const none = io();
    expect(await runPartnerCommand([], none.io)).toBe(2);
    expect(none.errors()).toMatch(/^Acts as a partner/);
    const unknown = io();
    expect(await runPartnerCommand(['dance'], unknown.io)).toBe(2);
    expect(unknown.errors()).toMatch(/^unknown command "dance"; expected ingest or publish-price/);
    const noMarket = io();
    expect(await runPartnerCommand(['publish-price', '--event', 'e1'], noMarket.io)).toBe(2);
    expect(noMarket.errors()).toMatch(/^publish-price needs --market <id> and --event <id>/);
    const both = io();
    expect(await runPartnerCommand(['ingest', SAMPLE, '--message', '{}'], both.io)).toBe(2);
    expect(both.errors()).toBe('give either a feed file or --message, not both\n');
    const badJson = io();
    expect(await runPartnerCommand(['ingest', '--message', '{oops'], badJson.io)).toBe(2);
    expect(badJson.errors()).toMatch(/JSON/);
  });
});
