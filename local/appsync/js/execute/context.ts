// The `ctx` object handlers receive (D-CTX, NPM-U `Context`, docs/reference/appsync-js-runtime.md §3).
import { jsonClone } from '../json.ts';
import type { InvocationInfo, ResolverInfo } from '../types.ts';

export interface HandlerContext {
  arguments: unknown;
  args: unknown;
  identity: unknown;
  source: unknown;
  readonly stash: Record<string, unknown>;
  result?: unknown;
  error?: { message: string; type: string };
  prev?: { result: unknown };
  request: { headers: Record<string, unknown>; domainName: string | null };
  info: ResolverInfo;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Client headers as AppSync shows them: lower-case names (UNVERIFIED), a repeated header as an
 * array, and never the `cookie` header (D-CTX).
 */
export function visibleHeaders(headers: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'cookie' || value === undefined) continue;
    out[lower] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

/** `selectionSetList` and `selectionSetGraphQL` are non-enumerable: JSON.stringify(ctx.info) leaves them out (D-CTX). */
export function infoObject(info: Partial<InvocationInfo> | undefined): ResolverInfo {
  const out = {
    fieldName: info?.fieldName ?? '',
    parentTypeName: info?.parentTypeName ?? '',
    variables: jsonClone(info?.variables) ?? {},
  } as ResolverInfo;
  Object.defineProperty(out, 'selectionSetList', { value: jsonClone(info?.selectionSetList) ?? [], enumerable: false, writable: true, configurable: true });
  Object.defineProperty(out, 'selectionSetGraphQL', { value: info?.selectionSetGraphQL ?? '', enumerable: false, writable: true, configurable: true });
  return out;
}

export interface ContextInput {
  arguments: unknown;
  identity: unknown;
  source: unknown;
  request: { headers: Record<string, unknown>; domainName: string | null } | undefined;
  info: Partial<InvocationInfo> | undefined;
  env: Record<string, string> | undefined;
  stash?: Record<string, unknown>;
}

/**
 * One ctx for a whole resolver run: `arguments` and `args` are the same object, the stash is
 * shared by every handler and cannot be replaced ("You cannot delete or replace the entire
 * stash"), `env` is read-only. Data is copied in as JSON, so handlers never share objects with
 * the caller.
 */
export function createContext(input: ContextInput): HandlerContext {
  const args = (jsonClone(input.arguments) ?? {}) as unknown;
  const ctx = {
    arguments: args,
    args,
    identity: jsonClone(input.identity) ?? null,
    source: jsonClone(input.source) ?? null,
    request: { headers: visibleHeaders(input.request?.headers), domainName: input.request?.domainName ?? null },
    info: infoObject(input.info),
  } as HandlerContext;
  Object.defineProperty(ctx, 'stash', { value: jsonClone(input.stash) ?? {}, enumerable: true, writable: false, configurable: false });
  Object.defineProperty(ctx, 'env', { value: frozenEnv(input.env), enumerable: true, writable: false, configurable: false });
  return ctx;
}

const NO_ENV: Readonly<Record<string, string>> = Object.freeze({});
/** An API's environment variables are fixed for the life of its version, so one frozen copy serves every request. */
const frozenEnvs = new WeakMap<Record<string, string>, Readonly<Record<string, string>>>();

function frozenEnv(env: Record<string, string> | undefined): Readonly<Record<string, string>> {
  if (!env) return NO_ENV;
  let frozen = frozenEnvs.get(env);
  if (!frozen) frozenEnvs.set(env, (frozen = Object.freeze({ ...env })));
  return frozen;
}
