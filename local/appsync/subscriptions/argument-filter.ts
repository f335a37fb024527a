import type { CompiledFilter } from './enhanced-filter.ts';
import { isPlainObject } from '../../support/objects.ts';
import { canonicalJson, jsonEqual } from './values.ts';

/**
 * Basic filtering (DOC-DATA, reference §3.3): every argument the subscriber gave must equal the
 * top-level field of that name in the mutation's result. An omitted argument matches anything;
 * an explicit `null` matches only null; the field must be present in the result — a field the
 * mutation did not select never matches, even against `null` (maintainers, amplify-cli#4601,
 * amplify-flutter#2646). Several arguments are ANDed.
 */
export function compileArgumentFilter(args: Record<string, unknown>): CompiledFilter {
  const entries = Object.entries(args).filter(([, value]) => value !== undefined);
  return {
    key: `args:${canonicalJson(Object.fromEntries(entries))}`,
    matches: (data) => isPlainObject(data) && entries.every(([name, value]) => Object.hasOwn(data, name) && jsonEqual(data[name], value)),
  };
}
