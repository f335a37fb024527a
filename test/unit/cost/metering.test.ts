import { describe, expect, it } from 'vitest';
import prices from '../../../cost/prices.us-east-1.json' with { type: 'json' };
import { itemSizeBytes } from '../../../cost/model/item-size.ts';
import { appsyncGraphqlUsd, cognitoUsd, dynamodbUsd, lambdaUsd } from '../../../cost/model/pricing.ts';
import type { PriceBook } from '../../../cost/model/types.ts';
import { gbSeconds, meteredMessages, readRequestUnits, writeRequestUnits } from '../../../cost/model/units.ts';

const book = prices as PriceBook;

describe('AppSync real-time metering, against AWS’s own example', () => {
  // AppSync developer guide, "Monitoring" (recorded in docs/reference/appsync-peers.md §5):
  // "sending 15 kB of data to 10 clients results in 30 outbound messages".
  it('15 kB to 10 clients is 30 outbound messages, $0.00006 at $2.00 per million real-time updates', () => {
    const messages = 10 * meteredMessages(15 * 1024, book.prices['appsync.realtimeMessageBytes']!.value!);
    expect(messages).toBe(30);
    expect(appsyncGraphqlUsd(book, { requests: 0, realtimeUpdates: messages, connectionMinutes: 0 }).realtimeUpdates).toBeCloseTo(0.00006, 10);
  });

  it('a payload of 5 KB or less is one message; one byte more is two', () => {
    expect(meteredMessages(1, 5120)).toBe(1);
    expect(meteredMessages(5120, 5120)).toBe(1);
    expect(meteredMessages(5121, 5120)).toBe(2);
  });

  it('connection-minutes at $0.08 per million: a client connected all month (730 h) costs $0.003504', () => {
    expect(appsyncGraphqlUsd(book, { requests: 0, realtimeUpdates: 0, connectionMinutes: 730 * 60 }).connectionMinutes).toBeCloseTo(0.003504, 9);
  });
});

describe('Lambda, against the pricing page’s worked example', () => {
  // aws.amazon.com/lambda/pricing/, first example: "a mobile app developer building a food ordering
  // app … your application processes three million requests" a month. The stored copy (read
  // 2026-12-03) is cut off there; the rest — 120 ms each at 1,536 MB on Arm, 540,000 GB-s ×
  // $0.0000133334 = $7.20 compute and 3 M × $0.20/M = $0.60 requests — is UNVERIFIED: as the page
  // gave it when last read by hand, and consistent with the documented rates.
  it('3 M requests of 120 ms at 1,536 MB on arm64 cost $7.20 + $0.60', () => {
    const gbs = gbSeconds(3_000_000, 120, 1536);
    expect(gbs).toBe(540_000);
    const usd = lambdaUsd(book, { invocations: 3_000_000, gbSeconds: gbs, architecture: 'arm64' });
    expect(usd.duration).toBeCloseTo(7.2, 2);
    expect(usd.requests).toBeCloseTo(0.6, 10);
  });

  it('x86_64 costs 25 % more per GB-second than arm64 (the template’s architecture decides)', () => {
    const arm = lambdaUsd(book, { invocations: 0, gbSeconds: 1_000_000, architecture: 'arm64' }).duration;
    const x86 = lambdaUsd(book, { invocations: 0, gbSeconds: 1_000_000, architecture: 'x86_64' }).duration;
    expect(x86 / arm).toBeCloseTo(1.25, 3);
  });

  it('bills duration rounded up to the millisecond', () => {
    expect(gbSeconds(1000, 1.2, 1024)).toBe(2);
  });
});

describe('DynamoDB on-demand request units, against AWS’s unit rules', () => {
  // docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/dynamodb.html: "A strongly consistent
  // read request of up to 4 KB requires one RRU … an eventually consistent read request requires
  // one-half RRU, and a transactional read request requires two RRUs … A standard WRU can write an
  // item up to 1 KB … A transactional write requires two WRUs".
  it('reads: 4 KB units, halved when eventually consistent, doubled in a transaction', () => {
    expect(readRequestUnits(4096, 'strong')).toBe(1);
    expect(readRequestUnits(5000, 'strong')).toBe(2);
    expect(readRequestUnits(5000, 'eventual')).toBe(1);
    expect(readRequestUnits(300, 'eventual')).toBe(0.5);
    expect(readRequestUnits(4096, 'transactional')).toBe(2);
  });

  it('writes: 1 KB units, doubled in a transaction (a 3 KB item in a transaction takes 6)', () => {
    expect(writeRequestUnits(1024)).toBe(1);
    expect(writeRequestUnits(2560)).toBe(3);
    expect(writeRequestUnits(3 * 1024, { transactional: true })).toBe(6);
  });

  it('a million writes and a million reads cost the two unit prices', () => {
    const usd = dynamodbUsd(book, { writeRequestUnits: 1e6, readRequestUnits: 1e6, storageGb: 0, pitrGb: 0, streamReadRequestUnits: 0 });
    expect(usd.writes).toBe(book.prices['dynamodb.writeRequestUnitPerMillion']!.usd);
    expect(usd.reads).toBe(book.prices['dynamodb.readRequestUnitPerMillion']!.usd);
  });

  it('item size: attribute names plus values (strings by UTF-8 length, numbers ~1 byte per 2 digits + 1)', () => {
    expect(itemSizeBytes({ id: { S: 'mkt-1' } })).toBe(2 + 5);
    expect(itemSizeBytes({ version: { N: '1234' } })).toBe(7 + 3);
    expect(itemSizeBytes({ name: { S: 'é' } })).toBe(4 + 2);
  });
});

describe('Cognito Essentials', () => {
  it('the first 10,000 MAU are part of the tier; the rest are priced each', () => {
    expect(cognitoUsd(book, 10_000)).toBe(0);
    expect(cognitoUsd(book, 12_000)).toBeCloseTo(2000 * book.prices['cognito.essentialsMauAbove10k']!.usd, 10);
  });
});

describe('the prices file', () => {
  it('gives every price its source page and the date it was read, and explains every unverified one', () => {
    for (const [key, entry] of Object.entries(book.prices)) {
      expect(entry.source, key).toMatch(/^https:\/\//);
      expect(entry.read, key).toMatch(/2026-12-03/);
      if (!entry.verified) expect(entry.note, key).toMatch(/UNVERIFIED/);
    }
    for (const [key, entry] of Object.entries(book.quotas)) {
      expect(entry.source, key).toMatch(/^https:\/\//);
      expect(entry.value, key).toBeGreaterThan(0);
    }
  });
});
