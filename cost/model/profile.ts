import type { WorkloadProfile } from './types.ts';

/** A workload profile that does not say what the model needs: names the field and what it expects. */
export class ProfileError extends Error {
  readonly field: string;
  constructor(origin: string, field: string, problem: string) {
    super(`${origin}: ${field} ${problem}`);
    this.name = 'ProfileError';
    this.field = field;
  }
}

type Rule = { min: number; integer?: boolean; max?: number; what: string };

/** Every number of a profile, with what it must be. */
const FIELDS: Record<string, Record<string, Rule>> = {
  clients: {
    connected: { min: 0, integer: true, what: 'clients connected at once' },
    subscriptionsPerClient: { min: 0, integer: true, what: 'subscriptions each client holds' },
    hoursConnectedPerDay: { min: 0, max: 24, what: 'hours a day a client is connected' },
    connectionsPerDay: { min: 0, what: 'connections each client opens a day' },
  },
  feed: {
    messagesPerSecond: { min: 0, what: 'feed messages a second' },
    messagesPerBatch: { min: 1, integer: true, what: 'messages in one ingestFeed call' },
    feeds: { min: 1, integer: true, what: 'partner feeds' },
    markets: { min: 1, integer: true, what: 'markets priced' },
    hoursPerDay: { min: 0, max: 24, what: 'hours a day the feed runs' },
  },
  priceUpdates: {
    perSecond: { min: 0, what: 'price updates published a second' },
    fanout: { min: 0, what: 'subscriptions each update reaches' },
    hottestMarketPerSecond: { min: 0, what: 'updates a second of the busiest market' },
  },
  api: {
    queriesPerSecond: { min: 0, what: 'queries a second' },
    mutationsPerSecond: { min: 0, what: 'trader mutations a second' },
    hoursPerDay: { min: 0, max: 24, what: 'hours a day of that query and mutation rate' },
  },
  jobs: {
    perDay: { min: 0, what: 'jobs started a day' },
    updatesPerJob: { min: 0, integer: true, what: 'progress updates each job publishes' },
  },
  users: {
    monthlyActive: { min: 0, integer: true, what: 'monthly active users (Cognito MAU)' },
  },
};

/**
 * Checks a parsed profile JSON and returns it typed. Throws ProfileError naming the first field
 * that is missing, of the wrong type or out of range, and what is expected there.
 */
export function parseProfile(input: unknown, origin = 'profile'): WorkloadProfile {
  if (!isObject(input)) throw new ProfileError(origin, '(root)', `must be a JSON object with ${Object.keys(FIELDS).join(', ')}; got ${describe(input)}`);
  const name = input.name;
  if (typeof name !== 'string' || name.trim() === '') throw new ProfileError(origin, 'name', `must be a non-empty string naming the profile; got ${describe(name)}`);
  if (input.description !== undefined && typeof input.description !== 'string') throw new ProfileError(origin, 'description', `must be a string when present; got ${describe(input.description)}`);
  const known = new Set(['name', 'description', '$comment', ...Object.keys(FIELDS)]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new ProfileError(origin, key, `is not a profile field (expected one of ${[...known].join(', ')})`);
  }
  const profile: Record<string, unknown> = { name, ...(input.description !== undefined && { description: input.description }) };
  for (const [section, rules] of Object.entries(FIELDS)) {
    const value = input[section];
    if (!isObject(value)) throw new ProfileError(origin, section, `must be an object with ${Object.keys(rules).join(', ')}; got ${describe(value)}`);
    for (const key of Object.keys(value)) {
      if (!(key in rules)) throw new ProfileError(origin, `${section}.${key}`, `is not a field of ${section} (expected ${Object.keys(rules).join(', ')})`);
    }
    const checked: Record<string, number> = {};
    for (const [key, rule] of Object.entries(rules)) checked[key] = checkNumber(origin, `${section}.${key}`, value[key], rule);
    profile[section] = checked;
  }
  const parsed = profile as unknown as WorkloadProfile;
  if (parsed.priceUpdates.hottestMarketPerSecond > parsed.priceUpdates.perSecond) {
    throw new ProfileError(origin, 'priceUpdates.hottestMarketPerSecond', `must not exceed priceUpdates.perSecond (${parsed.priceUpdates.perSecond}); got ${parsed.priceUpdates.hottestMarketPerSecond}`);
  }
  return parsed;
}

function checkNumber(origin: string, field: string, value: unknown, rule: Rule): number {
  const expected = `${rule.integer ? 'an integer' : 'a number'} ≥ ${rule.min}${rule.max !== undefined ? ` and ≤ ${rule.max}` : ''} (${rule.what})`;
  if (value === undefined) throw new ProfileError(origin, field, `is missing: expected ${expected}`);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ProfileError(origin, field, `must be ${expected}; got ${describe(value)}`);
  if (value < rule.min || (rule.max !== undefined && value > rule.max) || (rule.integer && !Number.isInteger(value))) {
    throw new ProfileError(origin, field, `must be ${expected}; got ${value}`);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value} ${JSON.stringify(value)}`;
}
