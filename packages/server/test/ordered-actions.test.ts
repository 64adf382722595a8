import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth/mint-token.js';
import { TEST_POSTGRES_URL, dropSchema, postgresSkipReason, randomSchemaName } from '../src/store/postgres-event-store.contract-fixture.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

// On PostgreSQL every store read of a replay is a round trip, during which the connection's next message is read.
const skipReason = await postgresSkipReason();
const schema = randomSchemaName();

const SECRET = 'ordered-actions-secret-0123456789abcdef';
/** Enough events that a replay reads the store in several pages, across many event-loop turns. */
const EVENTS_PER_ORG = 1_500;

let server: TestServer;
beforeAll(async () => {
  if (skipReason !== undefined) return;
  const store = new URL(TEST_POSTGRES_URL);
  store.searchParams.set('schema', schema);
  // A small replay buffer makes the replay read the store, so it spans several round trips.
  server = await startTestServer({ store: store.toString(), jwt: { secret: SECRET }, replayBufferEvents: 16 });
  for (const org of ['acme', 'globex']) {
    for (let i = 0; i < EVENTS_PER_ORG; i += 500) {
      const r = await http(server, 'POST', '/api/events', {
        events: Array.from({ length: 500 }, (_, j) => ({ type: 'order.tick', org, data: { i: i + j } })),
      });
      expect(r.status).toBe(202);
    }
  }
});
afterAll(async () => {
  if (skipReason !== undefined) return;
  await server.close();
  await dropSchema(schema);
});

async function connectAda(): Promise<TestClient> {
  const token = await mintToken({ secret: SECRET, sub: 'ada', org: 'acme', orgs: ['acme', 'globex'], permissions: ['subscribe:*'], ttlS: 600 });
  const c = await TestClient.connect(server.wsUrl, { token });
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

describe.skipIf(skipReason !== undefined)(`a connection's actions${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('applies an unsubscribe sent right after a subscribe with since only once that replay has finished', async () => {
    const c = await connectAda();
    c.send({ action: 'subscribe', id: 1, subscription_id: 'all', event_types: ['order.*'], since: 0 });
    c.send({ action: 'unsubscribe', id: 2, subscription_id: 'all' });
    await c.waitFor((m) => m.id === 2, 15_000);
    console.log(JSON.stringify(c.messages.filter((m) => m.type !== 'event').map((m) => m.type)), c.events().length);
    const kinds = c.messages.slice(1).map((m) => (m.type === 'event' ? 'event' : String(m.type)));
    const marker = c.messages.find((m) => m.type === 'replayed');
    expect(marker).toMatchObject({ subscription_id: 'all', count: EVENTS_PER_ORG });
    // subscribed, every replayed event, the marker, then unsubscribed: the order the client asked for.
    expect(kinds[0]).toBe('subscribed');
    expect(kinds.slice(1, 1 + EVENTS_PER_ORG).every((k) => k === 'event')).toBe(true);
    expect(kinds.slice(1 + EVENTS_PER_ORG)).toEqual(['replayed', 'unsubscribed']);
    c.close();
  });

  it('replays a subscription in the org it was made in when a context_switch follows it', async () => {
    const c = await connectAda();
    c.send({ action: 'subscribe', id: 1, subscription_id: 'mine', event_types: ['order.*'], since: 0 });
    c.send({ action: 'context_switch', id: 2, org: 'globex' });
    await c.waitFor((m) => m.id === 2, 15_000);
    const replayed = c.events();
    expect(replayed).toHaveLength(EVENTS_PER_ORG);
    expect(new Set(replayed.map((e) => e.org))).toEqual(new Set(['acme']));
    const types = c.messages.map((m) => m.type);
    expect(types.indexOf('replayed')).toBeLessThan(types.indexOf('context_switched'));
    // Live events after the switch are the new org's.
    await http(server, 'POST', '/api/events', { type: 'order.live', org: 'globex' });
    await http(server, 'POST', '/api/events', { type: 'order.live', org: 'acme' });
    const live = await c.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'order.live');
    expect((live.event as { org: string }).org).toBe('globex');
    c.close();
  });
});
