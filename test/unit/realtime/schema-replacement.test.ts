import { describe, expect, it } from 'vitest';
import { buildAppSyncSchema } from '../../../local/appsync/graphql/appsync-schema.ts';
import { TEST_SDL } from '../subscriptions/fixture.ts';
import { connected, startHarness, subscribe } from './harness.ts';

/** The fixture schema without `onItemChange`, and with `onPutItem` keeping only its `id` argument. */
const RELOADED_SDL = TEST_SDL.replace(/\n\s*onItemChange: Item @aws_subscribe[^\n]*/, '').replace('onPutItem(id: ID, group: String, name: String)', 'onPutItem(id: ID)');

describe('replacing the schema (hot reload)', () => {
  it('keeps the socket and the subscriptions that still validate, with their filters; ends the others with an error frame', async () => {
    expect(RELOADED_SDL).not.toContain('onItemChange');
    const harness = await startHarness();
    const client = await connected(harness);
    expect((await subscribe(client, 'kept', 'subscription { onPutItem(id: "1") { id name } }')).type).toBe('start_ack');
    expect((await subscribe(client, 'gone', 'subscription { onItemChange { id } }')).type).toBe('start_ack');
    expect((await subscribe(client, 'argument', 'subscription { onPutItem(group: "g") { id } }')).type).toBe('start_ack');
    expect((await subscribe(client, 'filtered', 'subscription ($f: AWSJSON) { onFilteredItem(filter: $f) { id } }', { f: JSON.stringify({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: '2' }] }] }) })).type).toBe('start_ack');

    harness.server.replaceSchema(buildAppSyncSchema(RELOADED_SDL, 'test'));

    const gone = await client.next((f) => f.id === 'gone' && f.type === 'error');
    expect(JSON.stringify(gone.payload.errors)).toMatch(/onItemChange/);
    const argument = await client.next((f) => f.id === 'argument' && f.type === 'error');
    expect(JSON.stringify(argument.payload.errors)).toMatch(/group/);
    expect(harness.server.stats()).toMatchObject({ connections: 1, subscriptions: 2 });

    harness.server.publish('putItem', { id: '2', name: 'two', owner: 'o' });
    harness.server.publish('putItem', { id: '1', name: 'one', owner: 'o' });
    expect((await client.next((f) => f.id === 'kept' && f.type === 'data')).payload.data).toEqual({ onPutItem: { id: '1', name: 'one' } });
    // The enhanced filter chosen at start still applies: only id 2 reaches it.
    expect((await client.next((f) => f.id === 'filtered' && f.type === 'data')).payload.data).toEqual({ onFilteredItem: { id: '2' } });
    expect(client.frames.filter((f) => f.type === 'data')).toHaveLength(2);

    // New starts are checked against the new schema.
    expect((await subscribe(client, 'late', 'subscription { onItemChange { id } }')).type).toBe('error');
    client.close();
    await harness.close();
  });
});
