import { describe, expect, it } from 'vitest';
import { streamMapping } from '../../support/event-source-mapping.ts';
import type { EventSourceMappingModel } from '../../../local/assembly/model.ts';
import { compileFilters } from '../../../local/event-sources/filter-pattern.ts';
import { startEventSourceMappings } from '../../../local/event-sources/index.ts';
import type { LambdaService } from '../../../local/lambda/types.ts';

const record = (overrides: Record<string, unknown> = {}) => ({
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: { id: { S: 'm-1' } },
    NewImage: { id: { S: 'm-1' }, status: { S: 'OPEN' }, margin: { N: '0.05' }, tags: { SS: ['live', 'football'] }, flag: { BOOL: true }, note: { NULL: true } },
  },
  size: 12,
  ...overrides,
});

const matches = (pattern: unknown, value: unknown = record()) => compileFilters([pattern], 'Test/Mapping')!(value);

describe('Lambda filter patterns on stream records', () => {
  it('matches equality lists at the leaves and ANDs the keys', () => {
    expect(matches({ eventName: ['INSERT', 'MODIFY'] })).toBe(true);
    expect(matches({ eventName: ['REMOVE'] })).toBe(false);
    expect(matches({ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['OPEN'] } } } })).toBe(true);
    expect(matches({ eventName: ['INSERT'], dynamodb: { NewImage: { status: { S: ['CLOSED'] } } } })).toBe(false);
    expect(matches({ dynamodb: { NewImage: { flag: { BOOL: [true] } } } })).toBe(true);
    expect(matches({ dynamodb: { NewImage: { note: { NULL: [true] } } } })).toBe(true);
    expect(matches({ size: [12] })).toBe(true);
  });

  it('matches any element of an array in the record', () => {
    expect(matches({ dynamodb: { NewImage: { tags: { SS: ['football'] } } } })).toBe(true);
    expect(matches({ dynamodb: { NewImage: { tags: { SS: ['tennis'] } } } })).toBe(false);
  });

  it('supports prefix, suffix and equals-ignore-case', () => {
    expect(matches({ dynamodb: { Keys: { id: { S: [{ prefix: 'm-' }] } } } })).toBe(true);
    expect(matches({ dynamodb: { Keys: { id: { S: [{ prefix: 'e-' }] } } } })).toBe(false);
    expect(matches({ dynamodb: { Keys: { id: { S: [{ suffix: '-1' }] } } } })).toBe(true);
    expect(matches({ eventName: [{ 'equals-ignore-case': 'insert' }] })).toBe(true);
  });

  it('supports exists true and false (on leaves only)', () => {
    expect(matches({ dynamodb: { OldImage: [{ exists: false }] } })).toBe(true);
    expect(matches({ dynamodb: { NewImage: { status: { S: [{ exists: true }] } } } })).toBe(true);
    expect(matches({ dynamodb: { NewImage: { missing: { S: [{ exists: true }] } } } })).toBe(false);
    expect(matches({ dynamodb: { NewImage: { missing: { S: [{ exists: false }] } } } })).toBe(true);
  });

  it('compares JSON numbers only (DynamoDB N values are strings)', () => {
    expect(matches({ size: [{ numeric: ['>', 10, '<=', 12] }] })).toBe(true);
    expect(matches({ size: [{ numeric: ['<', 12] }] })).toBe(false);
    expect(matches({ size: [{ numeric: ['=', 12] }] })).toBe(true);
    expect(matches({ dynamodb: { NewImage: { margin: { N: [{ numeric: ['>', 0] }] } } } })).toBe(false);
  });

  it('supports anything-but with a value, a list, a prefix or a suffix; a missing field does not match', () => {
    expect(matches({ eventName: [{ 'anything-but': 'REMOVE' }] })).toBe(true);
    expect(matches({ eventName: [{ 'anything-but': ['INSERT', 'MODIFY'] }] })).toBe(false);
    expect(matches({ dynamodb: { Keys: { id: { S: [{ 'anything-but': { prefix: 'm-' } }] } } } })).toBe(false);
    expect(matches({ dynamodb: { Keys: { id: { S: [{ 'anything-but': { suffix: '-9' } }] } } } })).toBe(true);
    expect(matches({ absent: [{ 'anything-but': 'x' }] })).toBe(false);
  });

  it('ORs $or alternatives and ORs several patterns of a mapping', () => {
    expect(matches({ $or: [{ eventName: ['REMOVE'] }, { dynamodb: { NewImage: { status: { S: ['OPEN'] } } } }] })).toBe(true);
    expect(matches({ $or: [{ eventName: ['REMOVE'] }, { size: [1] }] })).toBe(false);
    const either = compileFilters([{ eventName: ['REMOVE'] }, { eventName: ['INSERT'] }], 'Test/Mapping')!;
    expect(either(record())).toBe(true);
    expect(either(record({ eventName: 'MODIFY' }))).toBe(false);
  });

  it('has no filter when the mapping has no patterns', () => {
    expect(compileFilters([], 'Test/Mapping')).toBeUndefined();
  });

  it('refuses unsupported or malformed patterns, naming where', () => {
    expect(() => compileFilters([{ ip: [{ cidr: '10.0.0.0/24' }] }], 'Stack/Map')).toThrow(/^Stack\/Map FilterCriteria.Filters\[0\]\.ip\[0\]: operator "cidr" is not supported/);
    expect(() => compileFilters([{ eventName: 'INSERT' }], 'Stack/Map')).toThrow(/eventName: a leaf must be an array of conditions/);
    expect(() => compileFilters([{ size: [{ numeric: ['<', 1, '>', 0] }] }], 'Stack/Map')).toThrow(/lower bound/);
    expect(() => compileFilters([{ size: [{ numeric: ['~', 1] }] }], 'Stack/Map')).toThrow(/numeric takes operators/);
    expect(() => compileFilters([{ a: [{ prefix: 'x', suffix: 'y' }] }], 'Stack/Map')).toThrow(/exactly one operator/);
    expect(() => compileFilters(['not an object'], 'Stack/Map')).toThrow(/must be a JSON object/);
  });
});

describe('starting the mappings', () => {
  const mapping = (overrides: Partial<EventSourceMappingModel>): EventSourceMappingModel =>
    streamMapping('Markets', { stackName: 'Stack', logicalId: 'PriceEngineMapping', uuid: 'u-1', functionName: 'price-engine', ...overrides });
  const unused = {} as LambdaService;
  const start = (m: EventSourceMappingModel, log: (line: string) => void = () => {}) =>
    startEventSourceMappings({ mappings: [m], dynamodbEndpoint: 'http://127.0.0.1:9', region: 'us-east-1', lambda: unused, stateDir: '/nonexistent', persistent: false, log });

  it('fails at start on a filter it cannot honour, naming the mapping', async () => {
    await expect(start(mapping({ filterPatterns: [{ eventName: [{ wildcard: 'IN*' }] }] }))).rejects.toThrow(/^Stack\/PriceEngineMapping FilterCriteria\.Filters\[0\]\.eventName\[0\]: operator "wildcard"/);
  });

  it('fails at start on AT_TIMESTAMP, which DynamoDB streams do not offer', async () => {
    await expect(start(mapping({ startingPosition: 'AT_TIMESTAMP' }))).rejects.toThrow(/Stack\/PriceEngineMapping: starting position AT_TIMESTAMP/);
  });

  it('skips disabled mappings and sources that are not streams of the assembly, saying so', async () => {
    const lines: string[] = [];
    const disabled = await start(mapping({ enabled: false }), (line) => lines.push(line));
    const external = await start(mapping({ sourceTableName: undefined, eventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/feed' }), (line) => lines.push(line));
    await disabled.stop();
    await external.stop();
    expect(lines).toEqual([
      'event source mapping Stack/PriceEngineMapping → price-engine is disabled (Enabled: false)',
      'event source mapping Stack/PriceEngineMapping (arn:aws:kinesis:us-east-1:000000000000:stream/feed → price-engine) is not run locally: only DynamoDB streams of the assembly\'s tables are',
    ]);
  });
});
