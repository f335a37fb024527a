// util.transform.toSubscriptionFilter(obj, ignoredFields?, rules?) (D-XF; appsync-realtime.md
// §3.5): a filter object in disjunctive normal form, `{filterGroup:[{filters:[…]}]}`, groups
// OR-ed, the filters of a group AND-ed.
//
// - Every operator of a field is an alternative ("two or more conditions on a field are
//   OR-ed"), every member of `or` is an alternative, `and` joins its members; the keys of one
//   object are combined as a cross product in key order.
// - `ignoredFields` drops fields wherever they occur (inside and/or too).
// - `rules`: "at least one of the rules" must hold, so each rule operator is one more
//   alternative crossed with every group (D-XF worked example: 2 × 2 = 4 groups).
// - Operators and values are carried through unchecked; `not` is not special here and reads
//   as a field named "not". A non-object filter gives null, an empty result `filterGroup: []`.
// The order of groups and filters and the last three points follow the EvaluateCode recordings
// in localstack/appsync-utils `__tests__/__snapshots__/transform-subscription.test.js.snap`.
// Limits (10 groups, 5 filters per group, in ≤ 5 values …) are checked when the filter is set
// on a subscription, by the real-time engine, as AppSync does.
import { isPlainObject } from '../../../../support/objects.ts';

export interface SubscriptionFilterEntry {
  fieldName: string;
  operator: string;
  value: unknown;
}
export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterEntry[] }[];
}

type Groups = SubscriptionFilterEntry[][];

function cross(left: Groups, right: Groups): Groups {
  const out: Groups = [];
  for (const a of left) for (const b of right) out.push([...a, ...b]);
  return out;
}

function alternatives(filter: Record<string, unknown>, ignored: Set<string>): Groups {
  let groups: Groups = [[]];
  for (const [key, value] of Object.entries(filter)) {
    if (ignored.has(key)) continue;
    if ((key === 'and' || key === 'or') && Array.isArray(value)) {
      const members = value.filter(isPlainObject).map((member) => alternatives(member, ignored));
      groups = cross(groups, key === 'and' ? members.reduce(cross, [[]] as Groups) : members.flat());
    } else if (isPlainObject(value)) {
      groups = cross(
        groups,
        Object.entries(value).map(([operator, v]) => [{ fieldName: key, operator, value: v }]),
      );
    }
  }
  return groups;
}

export function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  if (!isPlainObject(filter)) return null;
  const ignored = new Set(Array.isArray(ignoredFields) ? ignoredFields.filter((f): f is string => typeof f === 'string') : []);
  let groups = alternatives(filter, ignored);
  if (isPlainObject(rules)) {
    const ruleAlternatives: Groups = Object.entries(rules).flatMap(([field, ops]) =>
      isPlainObject(ops) ? Object.entries(ops).map(([operator, value]) => [{ fieldName: field, operator, value }]) : [],
    );
    if (ruleAlternatives.length > 0) groups = cross(groups, ruleAlternatives);
  }
  return { filterGroup: groups.filter((g) => g.length > 0).map((filters) => ({ filters })) };
}
