import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('Herald end to end', () => {
  it('delivers an event published over HTTP to a matching WebSocket subscriber', async () => {
    const client = await TestClient.connect(server.wsUrl);
    const welcome = await client.waitFor((m) => m.type === 'connected');
    expect(welcome.server).toMatchObject({ name: 'herald' });
    const sub = await client.request('subscribe', { event_types: ['claude.*'] });
    expect(sub).toMatchObject({ type: 'subscribed', event_types: ['claude.*'] });
    const res = await http(server, 'POST', '/api/events', { type: 'claude.session.started', source: 'test', data: { n: 1 } });
    expect(res.status).toBe(202);
    const frame = await client.waitFor((m) => m.type === 'event');
    expect(frame).toMatchObject({ subscriptions: [sub.subscription_id], event: { type: 'claude.session.started', seq: res.body.seqs[0] } });
    client.close();
  });
});
