import type { CompiledFilter } from './enhanced-filter.ts';
import { isPlainObject } from '../../support/objects.ts';
import { canonicalJson, jsonEqual } from './values.ts';

/**
 * Basic filtering (DOC-DATA, docs/reference/appsync-realtime.md §3.3): every argument the subscriber gave must equal the
 * top-level field of that name in the mutation's result. An omitted argument matches anything;
 * an explicit `null` matches only null; the field must be present in the result — a field the
 * mutation did not select never matches, even against `null` (maintainers, amplify-cli#4601,
 * amplify-flutter#2646). Several arguments are ANDed.
 *
 * A subscription started without arguments receives every publication of its mutations,
 * whatever the field returns: an object, a scalar (`onPing: Int`) or a list. A scalar or a list
 * has no top-level fields, so a subscription with arguments never matches one. UNVERIFIED
 * against AppSync for scalars and lists: AWS documents only object payloads. The Amplify
 * simulator does the same (packages/amplify-appsync-simulator/src/utils/graphql-runner/
 * subscriptions-filter.ts: no variables → any non-null payload; otherwise `payload[key] ===
 * value`), and a list subscription with an argument receives nothing on AppSync
 * (aws/aws-appsync-community#364). Null results are never published (registry.ts).
 */
export function compileArgumentFilter(args: Record<string, unknown>): CompiledFilter {
  const entries = Object.entries(args).filter(([, value]) => value !== undefined);
  return {
    key: `args:${canonicalJson(Object.fromEntries(entries))}`,
    matches:
      entries.length === 0
        ? () => true
        : (data) => isPlainObject(data) && entries.every(([name, value]) => Object.hasOwn(data, name) && jsonEqual(data[name], value)),
  };
}
