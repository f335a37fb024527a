import { describe, expect, it } from 'vitest';
import { AppSyncFieldError } from '../../../local/appsync/graphql/errors.ts';
import { checkDepth, countResolver, DEFAULT_RESOLVER_COUNT_LIMIT, queryLimits } from '../../../local/appsync/graphql/limits.ts';

const path = (...keys: (string | number)[]) => keys.reduce<{ prev: unknown; key: string | number } | undefined>((prev, key) => ({ prev, key }), undefined);

describe('query limits', () => {
  it("applies AppSync's defaults for 0 or absent: no depth limit, 10,000 resolvers, introspection on", () => {
    expect(queryLimits()).toEqual({ maxDepth: Infinity, maxResolvers: 10_000, introspection: true });
    expect(queryLimits({ queryDepthLimit: 0, resolverCountLimit: 0, introspection: 'ENABLED' })).toEqual(queryLimits());
    expect(queryLimits({ queryDepthLimit: 3, resolverCountLimit: 5, introspection: 'DISABLED' })).toEqual({ maxDepth: 3, maxResolvers: 5, introspection: false });
  });

  it('lets the 10,000th resolver run by default and stops the 10,001st', () => {
    const limits = queryLimits();
    const counter = { resolvers: 0 };
    for (let i = 0; i < DEFAULT_RESOLVER_COUNT_LIMIT; i++) countResolver(counter, limits);
    expect(() => countResolver(counter, limits)).toThrow(expect.objectContaining({ errorType: 'ResolverExecutionLimitReached' }));
  });

  it('counts field levels, not list indexes', () => {
    const limits = queryLimits({ queryDepthLimit: 2 });
    expect(() => checkDepth(path('a', 0, 'b'), limits)).not.toThrow();
    expect(() => checkDepth(path('a', 0, 'b', 3, 'c'), limits)).toThrow(AppSyncFieldError);
    expect(() => checkDepth(path(...Array.from({ length: 500 }, () => 'x')), queryLimits())).not.toThrow();
  });
});
