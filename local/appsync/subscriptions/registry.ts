import type { GraphQLOutputType, GraphQLSchema } from 'graphql';
import type { CompiledFilter } from './enhanced-filter.ts';
import { compileProjection, type Projection } from './projection.ts';
import type { SelectedField } from './selection.ts';
import { subscriptionTriggers } from './triggers.ts';

/** The protocol side of one subscription: how its payloads and its end reach the client. */
export interface Subscriber {
  /** `payloadJson` is the serialized `{ data, errors? }`, shared by every subscriber of the group. */
  deliver(payloadJson: string): void;
  /** The subscription was invalidated; the registry has already dropped it. */
  invalidated(): void;
}

export interface Registration {
  fieldName: string;
  fieldType: GraphQLOutputType;
  root: SelectedField;
  selectionKey: string;
  /** The enhanced filter, or the argument filter when the resolver set none. */
  filter: CompiledFilter;
  invalidationFilter?: CompiledFilter;
  subscriber: Subscriber;
}

export interface PublishReport {
  /** Fan-out groups whose filter matched. */
  groups: number;
  deliveries: number;
  /** Renderings dropped for exceeding the payload limit. */
  oversized: number;
}

/** Subscribers whose payloads are identical: same field and normalized selection set. */
interface View {
  key: string;
  projection: Projection;
  groupCount: number;
}

/** Subscribers that also share a filter: matched once per publication. */
interface Group {
  key: string;
  view: View;
  filter: CompiledFilter;
  members: Set<Member>;
}

interface Member {
  group: Group;
  subscriber: Subscriber;
  invalidationFilter?: CompiledFilter;
  removed: boolean;
}

interface FieldState {
  groups: Map<string, Group>;
  invalidatable: Set<Member>;
}

export interface RegistryOptions {
  schema: GraphQLSchema;
  maxPayloadBytes: number;
  log(event: string, detail: Record<string, unknown>): void;
}

/**
 * Every live subscription, grouped for fan-out: a publication is matched once per group
 * (field × normalized selection set × filter) and rendered and serialized once per view
 * (field × normalized selection set); each subscriber then only gets the shared string.
 */
export function createSubscriptionRegistry(options: RegistryOptions) {
  const triggers = subscriptionTriggers(options.schema);
  const fields = new Map<string, FieldState>();
  const views = new Map<string, View>();
  let subscriptionCount = 0;
  let groupCount = 0;

  function add(registration: Registration): () => void {
    const viewKey = `${registration.fieldName}\u0000${registration.selectionKey}`;
    const groupKey = `${viewKey}\u0000${registration.filter.key}`;
    let state = fields.get(registration.fieldName);
    if (!state) {
      state = { groups: new Map(), invalidatable: new Set() };
      fields.set(registration.fieldName, state);
    }
    let group = state.groups.get(groupKey);
    if (!group) {
      let view = views.get(viewKey);
      if (!view) {
        view = { key: viewKey, projection: compileProjection(options.schema, registration.root, registration.fieldType), groupCount: 0 };
        views.set(viewKey, view);
      }
      view.groupCount++;
      group = { key: groupKey, view, filter: registration.filter, members: new Set() };
      state.groups.set(groupKey, group);
      groupCount++;
    }
    const member: Member = {
      group,
      subscriber: registration.subscriber,
      removed: false,
      ...(registration.invalidationFilter && { invalidationFilter: registration.invalidationFilter }),
    };
    group.members.add(member);
    if (member.invalidationFilter) state.invalidatable.add(member);
    subscriptionCount++;

    const fieldState = state;
    return () => remove(fieldState, member);
  }

  /** Idempotent: a subscription may be stopped after it was invalidated, or twice. */
  function remove(state: FieldState, member: Member): void {
    if (member.removed) return;
    member.removed = true;
    const { group } = member;
    group.members.delete(member);
    state.invalidatable.delete(member);
    subscriptionCount--;
    if (group.members.size > 0) return;
    state.groups.delete(group.key);
    groupCount--;
    if (--group.view.groupCount === 0) views.delete(group.view.key);
  }

  function publish(mutationField: string, value: unknown): PublishReport {
    const report: PublishReport = { groups: 0, deliveries: 0, oversized: 0 };
    // AppSync publishes nothing for a null mutation result [INFER, docs/reference/appsync-realtime.md §4].
    if (value === null || value === undefined) return report;
    for (const fieldName of triggers.get(mutationField) ?? []) {
      const state = fields.get(fieldName);
      if (!state) continue;
      const rendered = new Map<View, string | null>();
      for (const group of state.groups.values()) {
        if (!matches(group.filter, value, fieldName)) continue;
        report.groups++;
        let payload = rendered.get(group.view);
        if (payload === undefined) {
          payload = render(group.view, value, fieldName, mutationField);
          rendered.set(group.view, payload);
          if (payload === null) report.oversized++;
        }
        if (payload === null) continue;
        for (const member of group.members) member.subscriber.deliver(payload);
        report.deliveries += group.members.size;
      }
    }
    return report;
  }

  function matches(filter: CompiledFilter, value: unknown, fieldName: string): boolean {
    try {
      return filter.matches(value);
    } catch (error) {
      options.log('filter-failed', { subscriptionField: fieldName, filter: filter.key, message: (error as Error).message });
      return false;
    }
  }

  /** The payload JSON, or null when it is over the limit (AppSync drops those silently: DOC-DATA, docs/reference/appsync-realtime.md §3.7) or cannot be rendered. */
  function render(view: View, value: unknown, fieldName: string, mutationField: string): string | null {
    let json: string;
    try {
      json = JSON.stringify(view.projection(value));
    } catch (error) {
      options.log('render-failed', { subscriptionField: fieldName, mutationField, message: (error as Error).message });
      return null;
    }
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short payloads need no byte count.
    const bytes = json.length * 3 <= options.maxPayloadBytes ? 0 : Buffer.byteLength(json);
    if (bytes > options.maxPayloadBytes) {
      options.log('payload-too-large', { subscriptionField: fieldName, mutationField, bytes, limit: options.maxPayloadBytes });
      return null;
    }
    return json;
  }

  /** `extensions.invalidateSubscriptions`: ends every subscription of the field whose invalidation filter matches. */
  function invalidate(subscriptionField: string, payload: Record<string, unknown>): number {
    const state = fields.get(subscriptionField);
    if (!state) return 0;
    let ended = 0;
    for (const member of [...state.invalidatable]) {
      if (!member.invalidationFilter!.matches(payload)) continue;
      remove(state, member);
      member.subscriber.invalidated();
      ended++;
    }
    return ended;
  }

  return {
    add,
    publish,
    invalidate,
    /** The subscription fields a mutation fires, from `@aws_subscribe`. */
    triggeredBy: (mutationField: string): readonly string[] => triggers.get(mutationField) ?? [],
    stats: () => ({ subscriptions: subscriptionCount, groups: groupCount, views: views.size }),
  };
}

export type SubscriptionRegistry = ReturnType<typeof createSubscriptionRegistry>;
