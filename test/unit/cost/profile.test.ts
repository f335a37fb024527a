import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile, ProfileError } from '../../../cost/model/profile.ts';

const demo = JSON.parse(readFileSync(new URL('../../../cost/profiles/demo.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const with_ = (section: string, field: string, value: unknown) => ({ ...demo, [section]: { ...(demo[section] as object), [field]: value } });
const without = (section: string, field: string) => {
  const copy = { ...(demo[section] as Record<string, unknown>) };
  delete copy[field];
  return { ...demo, [section]: copy };
};

function problem(input: unknown): ProfileError {
  try {
    parseProfile(input, 'p.json');
  } catch (error) {
    if (error instanceof ProfileError) return error;
    throw error;
  }
  throw new Error('the profile was accepted');
}

describe('parseProfile', () => {
  it('accepts the example profiles', () => {
    for (const file of ['demo.json', '50k-phones.json']) {
      const json = JSON.parse(readFileSync(new URL(`../../../cost/profiles/${file}`, import.meta.url), 'utf8'));
      expect(parseProfile(json, file).name).toBe(json.name);
    }
  });

  it('names a missing field and what it expects', () => {
    const error = problem(without('clients', 'connected'));
    expect(error.field).toBe('clients.connected');
    expect(error.message).toBe('p.json: clients.connected is missing: expected an integer ≥ 0 (clients connected at once)');
  });

  it('names a field of the wrong type, with what it got', () => {
    expect(problem(with_('feed', 'messagesPerSecond', '200')).message).toBe(
      'p.json: feed.messagesPerSecond must be a number ≥ 0 (feed messages a second); got string "200"',
    );
  });

  it('refuses numbers out of range and fractions where a count is expected', () => {
    expect(problem(with_('clients', 'hoursConnectedPerDay', 25)).message).toContain('clients.hoursConnectedPerDay must be a number ≥ 0 and ≤ 24');
    expect(problem(with_('feed', 'messagesPerBatch', 0)).field).toBe('feed.messagesPerBatch');
    expect(problem(with_('feed', 'feeds', 1.5)).message).toContain('must be an integer ≥ 1 (partner feeds); got 1.5');
  });

  it('refuses unknown fields, so a typo is not silently priced as zero', () => {
    expect(problem(with_('priceUpdates', 'fanOut', 3)).message).toBe(
      'p.json: priceUpdates.fanOut is not a field of priceUpdates (expected perSecond, fanout, hottestMarketPerSecond)',
    );
    expect(problem({ ...demo, client: {} }).field).toBe('client');
  });

  it('refuses a missing section and a profile that is not an object', () => {
    const { users: _users, ...rest } = demo;
    expect(problem(rest).message).toBe('p.json: users must be an object with monthlyActive; got nothing');
    expect(problem([]).field).toBe('(root)');
    expect(problem({ ...demo, name: '' }).field).toBe('name');
  });

  it('refuses a hottest market busier than all updates together', () => {
    expect(problem(with_('priceUpdates', 'hottestMarketPerSecond', 99)).message).toContain('must not exceed priceUpdates.perSecond (3)');
  });
});
