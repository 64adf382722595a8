import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { mintToken } from '../src/auth/mint-token.js';
import { TestClient, TEST_ADMIN_TOKEN, http, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { authTimeoutMs: 300 } });
});
afterAll(async () => {
  await server.close();
});

async function connected(options: Parameters<typeof TestClient.connect>[1] = {}): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl, options);
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

describe('WebSocket connection', () => {
  it('welcomes with client and session ids, the user, the server, the heartbeat and the current seq', async () => {
    const c = await connected();
    const w = c.messages[0]!;
    expect(w).toMatchObject({ type: 'connected', user: { id: 'admin' }, server: { name: 'herald', version: '0.1.0' }, heartbeat_s: 25 });
    expect(w.client_id).toMatch(/^c_/);
    expect(w.session_id).toMatch(/^s_/);
    expect(typeof w.seq).toBe('number');
    c.close();
  });

  it('accepts the aliases /ws/events and /ws/:clientId', async () => {
    for (const path of ['/ws/events', '/ws/client-123']) {
      const c = await connected({ path });
      expect(c.messages[0]!.type).toBe('connected');
      c.close();
    }
  });

  it('authenticates with the token query parameter', async () => {
    const c = await TestClient.connect(`${server.wsUrl}?token=${TEST_ADMIN_TOKEN}`, { token: null });
    await c.waitFor((m) => m.type === 'connected');
    c.close();
  });

  it('authenticates with a first auth message when no token came with the upgrade', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: null });
    const before = await c.request('ping');
    expect(before).toMatchObject({ type: 'error', code: 'unauthorized' });
    c.send({ action: 'auth', token: TEST_ADMIN_TOKEN });
    await c.waitFor((m) => m.type === 'connected');
    expect(await c.request('ping')).toMatchObject({ type: 'pong' });
    c.close();
  });

  it('closes with 1008 when the token is wrong', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: 'not-a-valid-token-at-all' });
    expect(await c.closed).toBe(1008);
  });

  it('closes with 1008 when no auth message arrives within the auth timeout', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: null });
    expect(await c.closed).toBe(1008);
    expect(c.closeReason).toContain('auth');
  });

  it('refuses an upgrade on an unknown path with 404', async () => {
    const ws = new WebSocket(server.wsUrl.replace('/ws', '/nope'));
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });
});

describe('ping', () => {
  it('answers pong echoing the timestamp and the request id, with the server time', async () => {
    const c = await connected();
    const r = await c.request('ping', { timestamp: 1234567890 });
    expect(r).toMatchObject({ type: 'pong', timestamp: 1234567890 });
    expect(Date.parse(r.server_time as string)).toBeGreaterThan(0);
    c.close();
  });
});

describe('get_metadata', () => {
  it('returns categories with event types and their filterable fields', async () => {
    const c = await connected();
    const r = await c.request('get_metadata');
    const data = r.data as { categories: Array<{ id: string; events: Array<{ id: string; filterable_fields: Array<{ name: string; path: string }> }> }> };
    const mcp = data.categories.find((cat) => cat.id === 'mcp')!;
    const status = mcp.events.find((e) => e.id === 'mcp_status_change')!;
    expect(status.filterable_fields.map((f) => f.name)).toEqual(['mcp_names', 'old_status', 'new_status', 'severity']);
    expect(status.filterable_fields[0]).toMatchObject({ path: 'data.mcp_name', type: 'multiselect' });
    c.close();
  });
});

describe('subscribe', () => {
  it('delivers only the events matching mcp_status_change for oracle_mcp with severity error', async () => {
    const c = await connected();
    await c.request('get_metadata');
    const sub = await c.request('subscribe', { event_types: ['mcp_status_change'], filters: { mcp_names: ['oracle_mcp'], severity: ['error'] } });
    expect(sub).toMatchObject({ type: 'subscribed', event_types: ['mcp_status_change'], filters: { mcp_names: ['oracle_mcp'], severity: ['error'] } });
    const events = [
      { type: 'mcp_status_change', data: { mcp_name: 'oracle_mcp', old_status: 'active', new_status: 'inactive', severity: 'error' } },
      { type: 'mcp_status_change', data: { mcp_name: 'postgres_mcp', severity: 'error' } },
      { type: 'mcp_status_change', data: { mcp_name: 'oracle_mcp', severity: 'info' } },
      { type: 'circuit_breaker_state', severity: 'error', data: { mcp_name: 'oracle_mcp' } },
      { type: 'mcp_status_change', severity: 'error', data: { mcp_name: 'oracle_mcp', marker: 'last' } },
    ];
    await http(server, 'POST', '/api/events', { events });
    await c.waitFor((m) => m.type === 'event' && (m.event as any).data.marker === 'last');
    const got = c.events().map((e) => (e.data as any));
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ mcp_name: 'oracle_mcp', new_status: 'inactive' });
    c.close();
  });

  it('matches patterns: a prefix family, everything, and exact types', async () => {
    const family = await connected();
    const all = await connected();
    const exact = await connected();
    await family.request('subscribe', { event_types: ['claude.*'] });
    await all.request('subscribe', { event_types: ['*'] });
    await exact.request('subscribe', { event_types: ['repo.commit.created', 'github.workflow.triggered'] });
    const types = ['claude.session.started', 'repo.commit.created', 'repo.push.completed', 'github.workflow.triggered', 'claude.agentRun.progress', 'test'];
    await http(server, 'POST', '/api/events', { events: types.map((type) => ({ type, data: {} })) });
    await all.waitFor((m) => m.type === 'event' && (m.event as any).type === 'test');
    await new Promise((r) => setTimeout(r, 50));
    const names = (c: TestClient) => c.events().map((e) => e.type).filter((t) => t !== 'metrics');
    expect(names(family)).toEqual(['claude.session.started', 'claude.agentRun.progress']);
    expect(names(all)).toEqual(types);
    expect(names(exact)).toEqual(['repo.commit.created', 'github.workflow.triggered']);
    for (const c of [family, all, exact]) c.close();
  });

  it('sends an event once to a connection whose two subscriptions match, naming both', async () => {
    const c = await connected();
    const a = await c.request('subscribe', { event_types: ['repo.*'] });
    const b = await c.request('subscribe', { event_types: ['*.commit.created'] });
    await http(server, 'POST', '/api/events', { type: 'repo.commit.created', data: {} });
    const frame = await c.waitFor((m) => m.type === 'event');
    await new Promise((r) => setTimeout(r, 50));
    expect(c.messages.filter((m) => m.type === 'event')).toHaveLength(1);
    expect((frame.subscriptions as string[]).sort()).toEqual([a.subscription_id, b.subscription_id].sort());
    c.close();
  });

  it('with a connection correlation id header, delivers only events of that correlation id', async () => {
    const c = await connected({ headers: { 'x-correlation-id': 'req-42' } });
    expect(c.messages[0]).toMatchObject({ correlation_id: 'req-42' });
    await c.request('subscribe', { event_types: ['*'] });
    await http(server, 'POST', '/api/events', {
      events: [
        { type: 'graphql.query.started', correlation_id: 'req-41', data: {} },
        { type: 'graphql.query.started', data: { correlationId: 'req-42' } },
        { type: 'graphql.query.completed', correlationId: 'req-42', data: {} },
      ],
    });
    await c.waitFor((m) => m.type === 'event' && (m.event as any).type === 'graphql.query.completed');
    expect(c.events().map((e) => e.correlation_id)).toEqual(['req-42', 'req-42']);
    c.close();
  });

  it('filters by a subscription correlation_id parameter', async () => {
    const c = await connected();
    await c.request('subscribe', { event_types: ['*'], correlation_id: 'trace-9' });
    await http(server, 'POST', '/api/events', { events: [{ type: 'x.y', correlation_id: 'other' }, { type: 'x.y', correlation_id: 'trace-9' }] });
    const f = await c.waitFor((m) => m.type === 'event');
    expect((f.event as any).correlation_id).toBe('trace-9');
    c.close();
  });

  it('reads the message shape {"type":"subscribe","payload":{"eventTypes":[…]}}', async () => {
    const c = await connected();
    c.send({ type: 'subscribe', payload: { eventTypes: ['performance.*'] } });
    await c.waitFor((m) => m.type === 'subscribed');
    await http(server, 'POST', '/api/events', { type: 'performance.slowOperation.detected', data: { duration_ms: 900 } });
    await c.waitFor((m) => m.type === 'event');
    c.close();
  });

  it('refuses an empty pattern list with invalid_params naming event_types', async () => {
    const c = await connected();
    const r = await c.request('subscribe', { event_types: [] });
    expect(r).toMatchObject({ type: 'error', code: 'invalid_params', details: { path: 'event_types' } });
    expect(r.message).toContain('event_types');
    c.close();
  });

  it('refuses a malformed pattern and a malformed filter operator', async () => {
    const c = await connected();
    expect(await c.request('subscribe', { event_types: ['repo..x'] })).toMatchObject({ code: 'invalid_params', details: { path: 'event_types[0]' } });
    expect(await c.request('subscribe', { event_types: ['*'], filters: { 'data.n': { between: 3 } } })).toMatchObject({ code: 'invalid_params' });
    c.close();
  });

  it('refuses more subscriptions than the limit with limit_exceeded', async () => {
    const s = await startTestServer({ limits: { maxSubscriptionsPerConnection: 2 } });
    const c = await TestClient.connect(s.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    await c.request('subscribe', { event_types: ['a'] });
    await c.request('subscribe', { event_types: ['b'] });
    expect(await c.request('subscribe', { event_types: ['c'] })).toMatchObject({ code: 'limit_exceeded', details: { limit: 'maxSubscriptionsPerConnection' } });
    c.close();
    await s.close();
  });
});

describe('unsubscribe', () => {
  it('removes a subscription by id so its events stop', async () => {
    const c = await connected();
    const sub = await c.request('subscribe', { event_types: ['unsub.by.id'] });
    expect(await c.request('unsubscribe', { subscription_id: sub.subscription_id })).toMatchObject({
      type: 'unsubscribed',
      subscription_ids: [sub.subscription_id],
    });
    const probe = await c.request('subscribe', { event_types: ['unsub.probe'] });
    await http(server, 'POST', '/api/events', { events: [{ type: 'unsub.by.id' }, { type: 'unsub.probe' }] });
    const f = await c.waitFor((m) => m.type === 'event');
    expect(f.subscriptions).toEqual([probe.subscription_id]);
    expect(c.events()).toHaveLength(1);
    c.close();
  });

  it('drops the named patterns from every subscription and removes those left empty', async () => {
    const c = await connected();
    const a = await c.request('subscribe', { event_types: ['claude.*', 'repo.*'] });
    const b = await c.request('subscribe', { event_types: ['claude.*'] });
    const r = await c.request('unsubscribe', { event_types: ['claude.*'] });
    expect((r.subscription_ids as string[]).sort()).toEqual([a.subscription_id, b.subscription_id].sort());
    const list = await c.request('list_subscriptions');
    expect(list.subscriptions).toEqual([{ subscription_id: a.subscription_id, event_types: ['repo.*'], filters: {} }]);
    c.close();
  });

  it('answers subscription_not_found for an unknown id', async () => {
    const c = await connected();
    expect(await c.request('unsubscribe', { subscription_id: 'nope' })).toMatchObject({ type: 'error', code: 'subscription_not_found' });
    c.close();
  });
});

describe('list_subscriptions', () => {
  it('lists each subscription with its patterns and filters, keeping a client-chosen id', async () => {
    const c = await connected();
    await c.request('subscribe', { event_types: ['agent_*'.replace('_*', '_request')], filters: { priority: 'high' }, subscription_id: 'mine' });
    const r = await c.request('list_subscriptions');
    expect(r).toMatchObject({ type: 'subscriptions', subscriptions: [{ subscription_id: 'mine', event_types: ['agent_request'], filters: { priority: 'high' } }] });
    c.close();
  });
});

describe('publish', () => {
  it('acknowledges with ids and seqs and delivers to subscribers', async () => {
    const pub = await connected();
    const sub = await connected();
    await sub.request('subscribe', { event_types: ['ws.published'] });
    const r = await pub.request('publish', { event: { type: 'ws.published', source: 'svc', data: { a: 1 } } });
    expect(r).toMatchObject({ type: 'published' });
    expect((r.ids as string[])[0]).toMatch(/^[0-9A-Z]{26}$/);
    const f = await sub.waitFor((m) => m.type === 'event');
    expect(f.event).toMatchObject({ id: (r.ids as string[])[0], seq: (r.seqs as number[])[0], source: 'svc', data: { a: 1 }, severity: 'info', priority: 'normal', category: 'ws' });
    pub.close();
    sub.close();
  });

  it('publishes a batch in order with increasing seqs', async () => {
    const c = await connected();
    const r = await c.request('publish', { events: [{ type: 'b.one' }, { type: 'b.two' }, { type: 'b.three' }] });
    const seqs = r.seqs as number[];
    expect(seqs[1]).toBe(seqs[0]! + 1);
    expect(seqs[2]).toBe(seqs[1]! + 1);
    c.close();
  });

  it('refuses a batch with one bad event, naming its index, and publishes none of it', async () => {
    const c = await connected();
    const before = await http(server, 'GET', '/api/events/history?types=bad.batch');
    const r = await c.request('publish', { events: [{ type: 'bad.batch' }, { type: 'bad batch' }] });
    expect(r).toMatchObject({ type: 'error', code: 'invalid_event', details: { path: 'events[1].type' } });
    const after = await http(server, 'GET', '/api/events/history?types=bad.batch');
    expect(after.body.events).toHaveLength(before.body.events.length);
    c.close();
  });

  it('acknowledges a second publish of a stored id again without storing or delivering it twice', async () => {
    const pub = await connected();
    const sub = await connected();
    await sub.request('subscribe', { event_types: ['idem.*'] });
    const first = await pub.request('publish', { event: { id: 'evt-fixed-1', type: 'idem.test' } });
    const second = await pub.request('publish', { event: { id: 'evt-fixed-1', type: 'idem.test' } });
    expect(second).toMatchObject({ type: 'published', ids: ['evt-fixed-1'], seqs: first.seqs, duplicates: ['evt-fixed-1'] });
    await pub.request('publish', { event: { type: 'idem.end' } });
    await sub.waitFor((m) => m.type === 'event' && (m.event as any).type === 'idem.end');
    expect(sub.events().filter((e) => e.id === 'evt-fixed-1')).toHaveLength(1);
    const h = await http(server, 'GET', '/api/events/history?types=idem.test');
    expect(h.body.events).toHaveLength(1);
    pub.close();
    sub.close();
  });

  it('refuses publish without event or events', async () => {
    const c = await connected();
    expect(await c.request('publish', {})).toMatchObject({ code: 'invalid_params', details: { path: 'event' } });
    c.close();
  });
});

describe('history', () => {
  it('returns matching events newest first with a cursor that pages through all of them', async () => {
    const c = await connected();
    await c.request('publish', { events: Array.from({ length: 5 }, (_, i) => ({ type: 'hist.page', data: { i } })) });
    const p1 = await c.request('history', { query: { types: ['hist.page'], limit: 3 } });
    expect((p1.events as any[]).map((e) => e.data.i)).toEqual([4, 3, 2]);
    const p2 = await c.request('history', { query: { types: ['hist.page'], limit: 3, cursor: p1.next_cursor } });
    expect((p2.events as any[]).map((e) => e.data.i)).toEqual([1, 0]);
    c.close();
  });

  it('answers invalid_params naming the query field', async () => {
    const c = await connected();
    expect(await c.request('history', { query: { limit: 'many' } })).toMatchObject({ code: 'invalid_params', details: { path: 'query.limit' } });
    c.close();
  });
});

describe('bad input', () => {
  it('answers invalid JSON with invalid_json and keeps the connection', async () => {
    const c = await connected();
    c.send('{"action": "ping",');
    expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'invalid_json' });
    expect(await c.request('ping')).toMatchObject({ type: 'pong' });
    c.close();
  });

  it('answers a frame without action with invalid_frame, echoing its id', async () => {
    const c = await connected();
    c.send({ id: 77, hello: 1 });
    expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'invalid_frame', id: 77 });
    c.close();
  });

  it('answers an unknown action with unknown_action', async () => {
    const c = await connected();
    expect(await c.request('fly_to_moon')).toMatchObject({ code: 'unknown_action', details: { path: 'action' } });
    c.close();
  });

  it('answers a binary frame with invalid_frame', async () => {
    const c = await connected();
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'invalid_frame' });
    c.close();
  });

  it('refuses a __proto__ key anywhere in a frame', async () => {
    const c = await connected();
    c.send('{"action":"publish","id":5,"event":{"type":"x","data":{"__proto__":{"polluted":true}}}}');
    expect(await c.waitFor((m) => m.id === 5)).toMatchObject({ code: 'invalid_frame' });
    expect(({} as any).polluted).toBeUndefined();
    c.close();
  });

  it('closes with 1009 on a frame over the size limit', async () => {
    const c = await connected();
    c.send({ action: 'publish', event: { type: 'big', data: { s: 'x'.repeat(70_000) } } });
    expect(await c.closed).toBe(1009);
  });

  it('answers rate_limited with retry_after_ms past the message burst of a user (JWT) connection', async () => {
    const secret = 'rate-limit-secret-0123456789abcdefghij';
    const s = await startTestServer({ jwt: { secret }, limits: { messagesPerSecond: 5, messageBurst: 5 } });
    const token = await mintToken({ secret, sub: 'ada', permissions: ['subscribe:*'], ttlS: 600 });
    const c = await TestClient.connect(s.wsUrl, { token });
    await c.waitFor((m) => m.type === 'connected');
    for (let i = 0; i < 10; i++) c.send({ action: 'ping', id: i });
    const err = await c.waitFor((m) => m.type === 'error');
    expect(err).toMatchObject({ code: 'rate_limited', details: { limit: 'messagesPerSecond' } });
    expect((err.details as any).retry_after_ms).toBeGreaterThan(0);
    c.close();
    await s.close();
  });

  it('gives API keys and the admin token their own message limit, so a service may publish one event per message past the user limit', async () => {
    const key = 'svc-key-0123456789abcdef';
    const s = await startTestServer({
      apiKeys: [`svc:${key}:publish:*`],
      limits: { messagesPerSecond: 5, messageBurst: 5, serviceMessagesPerSecond: 100, serviceMessageBurst: 150 },
    });
    const c = await TestClient.connect(s.wsUrl, { token: key });
    await c.waitFor((m) => m.type === 'connected');
    for (let i = 0; i < 100; i++) c.send({ action: 'publish', id: i, event: { type: 'svc.tick', data: { i } } });
    await c.waitFor((m) => m.type === 'published' && m.id === 99);
    expect(c.messages.filter((m) => m.type === 'published')).toHaveLength(100);
    expect(c.messages.filter((m) => m.type === 'error')).toEqual([]);
    for (let i = 100; i < 300; i++) c.send({ action: 'ping', id: i });
    const err = await c.waitFor((m) => m.type === 'error');
    expect(err).toMatchObject({ code: 'rate_limited', details: { limit: 'serviceMessagesPerSecond' } });
    c.close();
    await s.close();
  });
});
