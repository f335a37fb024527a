import { describe, expect, it } from 'vitest';
import { lazy, requireEnv } from '../../../functions/shared/env.ts';
import { createLogger } from '../../../functions/shared/logger.ts';
import { unmarshallImage } from '../../../functions/shared/stream-image.ts';

describe('unmarshallImage', () => {
  // UNVERIFIED that AWS never sends `{}`: its documented form is {"M":{}}; both are read.
  it('reads a stream image, including the `{}` that DynamoDB Local writes for an empty map', () => {
    expect(
      unmarshallImage({
        id: { S: 'm1' },
        version: { N: '3' },
        watermarks: { M: { definition: {}, status: { M: { f: { N: '2' } } } } } as never,
        selections: { L: [{ M: { id: { S: 'a' }, extra: {} } }] } as never,
        empty: {} as never,
      }),
    ).toEqual({ id: 'm1', version: 3, watermarks: { definition: {}, status: { f: 2 } }, selections: [{ id: 'a', extra: {} }], empty: {} });
  });

  it('reads the AWS form of an empty map too', () => {
    expect(unmarshallImage({ m: { M: {} }, l: { L: [] }, n: { NULL: true } })).toEqual({ m: {}, l: [], n: null });
  });
});

describe('requireEnv and lazy', () => {
  it('names the missing variable and the function', () => {
    delete process.env.PRICESTREAM_TEST_UNSET;
    expect(() => requireEnv('PRICESTREAM_TEST_UNSET', 'price-engine')).toThrow('price-engine: environment variable PRICESTREAM_TEST_UNSET is not set (see docs/data-model.md, "Lambda environment")');
    process.env.PRICESTREAM_TEST_SET = 'Prices';
    expect(requireEnv('PRICESTREAM_TEST_SET', 'price-engine')).toBe('Prices');
  });

  it('reads once, on first use', () => {
    let reads = 0;
    const value = lazy(() => ++reads);
    expect(reads).toBe(0);
    expect([value(), value()]).toEqual([1, 1]);
  });
});

describe('createLogger', () => {
  it('writes one JSON object per line: level, message, service, timestamp, details', () => {
    const lines: string[] = [];
    const log = createLogger('price-engine', (line) => lines.push(line));
    log.error('cannot price market m1', { marketId: 'm1' });
    log.info('ok');
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toEqual({ level: 'ERROR', message: 'cannot price market m1', service: 'price-engine', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), marketId: 'm1' });
    expect(second).toMatchObject({ level: 'INFO', message: 'ok' });
  });
});
