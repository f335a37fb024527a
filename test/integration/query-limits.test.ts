import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime, type RunningApi } from '../../local/runtime.ts';
import { synthLimitsStack } from '../fixtures/limits/stack.ts';
import { apiKey, postGraphql } from '../support/callers.ts';

/**
 * The API's QueryDepthLimit, ResolverCountLimit and IntrospectionConfig from the assembly, over
 * HTTP, with the errorTypes of AppSync's guide (docs/appsync-query-limits.md); and AppSync's
 * defaults (no depth limit, 10,000 resolvers, introspection on) on an API that sets none.
 */

let runtime: LocalRuntime;
let limited: RunningApi;
let defaults: RunningApi;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'query-limits-'));
  runtime = await startLocalRuntime({
    assemblyDir: synthLimitsStack(join(root, 'cdk.out')),
    stateDir: join(root, 'state'),
    tlsDir: process.env.PRICESTREAM_TEST_TLS_DIR!,
    persistent: false,
  });
  limited = runtime.apis.find((a) => a.model.name === 'limits-limited')!;
  defaults = runtime.apis.find((a) => a.model.name === 'limits-defaults')!;
});
afterAll(() => runtime?.stop());

const ask = (api: RunningApi, query: string, variables: Record<string, unknown> = {}) => postGraphql(api.graphqlUrl, apiKey(api.model.apiKeys[0]!.value), query, variables);
const nested = (levels: number): string => (levels === 1 ? 'value' : `nextLayer { ${nested(levels - 1)} }`);

describe('query depth limit', () => {
  it('resolves up to the limit and fails the first field past it with QueryDepthLimitReached', async () => {
    const { status, body } = await ask(limited, '{ L1: nextLayer { L2: nextLayer { L3: nextLayer { L4: value } } } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ L1: { L2: { L3: null } } });
    // UNVERIFIED: the message; the errorType is the guide's.
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'QueryDepthLimitReached', path: ['L1', 'L2', 'L3'] })]);
  });

  it('throws the error of a non-nullable field to its first nullable parent', async () => {
    const { body } = await ask(limited, '{ L1: nextLayer { L2: nextLayer { L3: required { value } } } }');
    expect(body.data).toEqual({ L1: { L2: null } });
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'QueryDepthLimitReached', path: ['L1', 'L2', 'L3'] })]);
  });

  it('has no depth limit by default', async () => {
    const { body } = await ask(defaults, `{ ${nested(80)} }`);
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toContain('"value":"v"');
  });
});

describe('resolver count limit', () => {
  it('runs the first resolvers and fails the ones past the limit with ResolverExecutionLimitReached', async () => {
    const { body } = await ask(limited, '{ r1: resolver r2: resolver r3: resolver }');
    expect(body.data).toEqual({ r1: 'v', r2: 'v', r3: null });
    // UNVERIFIED: the message, as users report it.
    expect(body.errors).toEqual([expect.objectContaining({ errorType: 'ResolverExecutionLimitReached', message: 'Resolver invocation limit reached.', path: ['r3'] })]);
  });

  it('has no low resolver limit by default (the 10,000 itself is pinned in test/unit/appsync/query-limits.test.ts)', async () => {
    const items = Array.from({ length: 300 }, (_, id) => ({ id }));
    const { body } = await ask(defaults, 'query ($items: [LayerInput!]!) { layers(items: $items) { value } }', { items });
    expect(body.errors).toBeUndefined();
    expect((body.data as { layers: unknown[] }).layers).toEqual(items.map(() => ({ value: 'v' })));
  });
});

describe('introspection', () => {
  it('refuses introspection fields with a validation error when disabled, and keeps __typename', async () => {
    const { status, body } = await ask(limited, '{ __schema { types { name } } }');
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    // UNVERIFIED: the wording (graphql-java's FieldUndefined, as the guide's screenshot describes it).
    expect(body.errors).toEqual([
      expect.objectContaining({ message: "Validation error of type FieldUndefined: Field 'types' in type '__Schema' is undefined @ '__schema/types'" }),
      expect.objectContaining({ message: "Validation error of type FieldUndefined: Field 'name' in type '__Type' is undefined @ '__schema/types/name'" }),
    ]);
    expect((await ask(limited, '{ resolver __typename }')).body).toEqual({ data: { resolver: 'v', __typename: 'Query' } });
  });

  it('answers introspection by default', async () => {
    const { body } = await ask(defaults, '{ __type(name: "Layer") { fields { name } } }');
    expect(body).toEqual({ data: { __type: { fields: [{ name: 'nextLayer' }, { name: 'required' }, { name: 'value' }] } } });
  });
});
