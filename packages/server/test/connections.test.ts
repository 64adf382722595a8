import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestClient, eventually, http, startTestServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /api/connections', () => {
  it('lists live connections with session, user, address, agent, times, subscriptions and counters, and presence', async () => {
    server = await startTestServer();
    const c = await TestClient.connect(server.wsUrl, { headers: { 'user-agent': 'herald-test/1' } });
    const welcome = await c.waitFor((m) => m.type === 'connected');
    await c.request('subscribe', { event_types: ['*'] });
    const r = await http(server, 'GET', '/api/connections');
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(1);
    expect(r.body.connections[0]).toMatchObject({
      client_id: welcome.client_id,
      session_id: welcome.session_id,
      user: 'admin',
      remote_address: expect.stringContaining('127.0.0.1'),
      user_agent: 'herald-test/1',
      subscriptions: 1,
      messages_in: 1,
    });
    expect(r.body.presence.users).toEqual([{ user: 'admin', org: null, connections: 1 }]);
    c.close();
  });

  it('is refused to an identity without the admin permission', async () => {
    server = await startTestServer({ apiKeys: ['svc:svc-key-0123456789abcdef:publish:*'] });
    const r = await http(server, 'GET', '/api/connections', undefined, { token: 'svc-key-0123456789abcdef' });
    expect(r.status).toBe(403);
    expect(r.body.error.details.permission).toBe('admin');
  });
});

describe('GET /api/nodes', () => {
  it('lists the one node of a single-node deployment with its connections and delivered seq', async () => {
    server = await startTestServer({ cluster: { nodeId: 'solo' } });
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    const published = await http(server, 'POST', '/api/events', { type: 'nodes.test' });
    const r = await http(server, 'GET', '/api/nodes');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ count: 1, self: 'solo' });
    expect(r.body.nodes[0]).toMatchObject({ node_id: 'solo', url: server.httpUrl, connections: 1, delivered_seq: published.body.seqs[0] });
    expect((await http(server, 'GET', '/api/connections')).body.nodes).toEqual([{ node_id: 'solo', connections: 1 }]);
    c.close();
  });

  it('is refused to an identity without the admin permission', async () => {
    server = await startTestServer({ apiKeys: ['svc:svc-key-0123456789abcdef:publish:*'] });
    const r = await http(server, 'GET', '/api/nodes', undefined, { token: 'svc-key-0123456789abcdef' });
    expect(r.status).toBe(403);
  });
});

describe('DELETE /api/connections/:id', () => {
  it('closes the connection with 4503 and records who did it', async () => {
    server = await startTestServer({ lifecycleEvents: true, connectionEvents: true });
    const watcher = await TestClient.connect(server.wsUrl);
    await watcher.waitFor((m) => m.type === 'connected');
    await watcher.request('subscribe', { event_types: ['audit.*', 'connection.*'] });
    const victim = await TestClient.connect(server.wsUrl);
    const welcome = await victim.waitFor((m) => m.type === 'connected');
    const r = await http(server, 'DELETE', `/api/connections/${welcome.client_id}`);
    expect(r.status).toBe(202);
    expect(await victim.closed).toBe(4503);
    const audit = await watcher.waitFor((m) => m.type === 'event' && (m.event as any).type === 'audit.admin_disconnect');
    expect((audit.event as any).data).toMatchObject({ admin: 'admin', client_id: welcome.client_id });
    const closed = await watcher.waitFor((m) => m.type === 'event' && (m.event as any).type === 'connection.closed' && (m.event as any).data.client_id === welcome.client_id);
    expect((closed.event as any).data).toMatchObject({ code: 4503, reason: 'disconnected_by_admin' });
    expect((await http(server, 'DELETE', '/api/connections/nope')).status).toBe(404);
    watcher.close();
  });
});

describe('lifecycle events', () => {
  it('publishes connection.opened and connection.closed with the reason', async () => {
    server = await startTestServer({ lifecycleEvents: true, connectionEvents: true });
    const watcher = await TestClient.connect(server.wsUrl);
    await watcher.waitFor((m) => m.type === 'connected');
    await watcher.request('subscribe', { event_types: ['connection.*'] });
    const c = await TestClient.connect(server.wsUrl);
    const w = await c.waitFor((m) => m.type === 'connected');
    const opened = await watcher.waitFor((m) => m.type === 'event' && (m.event as any).type === 'connection.opened');
    expect((opened.event as any).data).toMatchObject({ client_id: w.client_id, user: 'admin' });
    c.close();
    const closed = await watcher.waitFor((m) => m.type === 'event' && (m.event as any).type === 'connection.closed');
    expect((closed.event as any).data).toMatchObject({ client_id: w.client_id, code: 1005, reason: 'client' });
    expect((closed.event as any).data.duration_ms).toBeGreaterThanOrEqual(0);
    watcher.close();
  });

  it('publishes none of them with the default connectionEvents, while audit events still flow', async () => {
    server = await startTestServer({ lifecycleEvents: true });
    const watcher = await TestClient.connect(server.wsUrl);
    const first = await watcher.waitFor((m) => m.type === 'connected');
    await watcher.request('subscribe', { event_types: ['connection.*', 'user_login', 'audit.*'] });
    for (let i = 0; i < 5; i++) {
      const c = await TestClient.connect(server.wsUrl);
      await c.waitFor((m) => m.type === 'connected');
      c.close();
      await c.closed;
    }
    const refused = await TestClient.connect(server.wsUrl, { token: 'not-a-valid-token-at-all' });
    await refused.closed;
    const audit = await watcher.waitFor((m) => m.type === 'event' && (m.event as any).type === 'audit.auth_failed');
    expect(watcher.events().map((e) => e.type)).toEqual(['audit.auth_failed']);
    // Nothing else took a seq: the log holds no connection events.
    expect((audit.event as any).seq).toBe((first.seq as number) + 1);
    watcher.close();
  });
});

describe('limits', () => {
  it('closes connections past the per-address limit with 4501', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerIp: 2 } });
    const a = await TestClient.connect(server.wsUrl);
    const b = await TestClient.connect(server.wsUrl);
    const c = await TestClient.connect(server.wsUrl);
    expect(await c.closed).toBe(4501);
    a.close();
    b.close();
  });

  it('closes connections past the per-user limit with 4501', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerUser: 1 }, apiKeys: ['svc:svc-key-0123456789abcdef:subscribe:*'] });
    const a = await TestClient.connect(server.wsUrl, { token: 'svc-key-0123456789abcdef' });
    await a.waitFor((m) => m.type === 'connected');
    const b = await TestClient.connect(server.wsUrl, { token: 'svc-key-0123456789abcdef' });
    expect(await b.closed).toBe(4501);
    expect(b.closeReason).toContain('per user');
    a.close();
  });

  it('closes connections past the server-wide limit with 4501', async () => {
    server = await startTestServer({ limits: { maxConnections: 1 } });
    const a = await TestClient.connect(server.wsUrl);
    await a.waitFor((m) => m.type === 'connected');
    const b = await TestClient.connect(server.wsUrl);
    expect(await b.closed).toBe(4501);
    a.close();
  });

  it('answers rate_limited with retry_after_ms past the publishes per second of one identity, over HTTP with Retry-After', async () => {
    server = await startTestServer({ limits: { publishesPerSecond: 10 } });
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    expect(await c.request('publish', { events: Array.from({ length: 10 }, () => ({ type: 'rl.x' })) })).toMatchObject({ type: 'published' });
    const refused = await c.request('publish', { event: { type: 'rl.x' } });
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited', details: { limit: 'publishesPerSecond' } });
    const r = await http(server, 'POST', '/api/events', { type: 'rl.x' });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    c.close();
  });

  it('refuses a history page larger than the limit', async () => {
    server = await startTestServer({ limits: { maxHistoryLimit: 50 } });
    const r = await http(server, 'GET', '/api/events/history?limit=51');
    expect(r.status).toBe(429);
    expect(r.body.error).toMatchObject({ code: 'limit_exceeded', details: { limit: 'maxHistoryLimit' } });
  });

  it('refuses too many patterns and too many filter keys', async () => {
    server = await startTestServer({ limits: { maxPatternsPerSubscription: 2, maxFilterKeys: 2 } });
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    expect(await c.request('subscribe', { event_types: ['a', 'b', 'c'] })).toMatchObject({ code: 'limit_exceeded', details: { limit: 'maxPatternsPerSubscription' } });
    expect(await c.request('subscribe', { event_types: ['a'], filters: { x: 1, y: 2, z: 3 } })).toMatchObject({ code: 'limit_exceeded', details: { limit: 'maxFilterKeys' } });
    c.close();
  });
});

describe('liveness', () => {
  it('drops a client that answers no ping for two heartbeat intervals', async () => {
    server = await startTestServer({ limits: { heartbeatIntervalMs: 100 } });
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    ((c.ws as unknown as { _socket: Socket })._socket).pause();
    await eventually(async () => (await http(server!, 'GET', '/api/connections')).body.count === 0, 3_000);
    c.ws.terminate();
  });

  it('closes a connection past its maximum lifetime with 4005', async () => {
    server = await startTestServer({ limits: { heartbeatIntervalMs: 50, maxConnectionLifetimeMs: 150 } });
    const c = await TestClient.connect(server.wsUrl);
    expect(await c.closed).toBe(4005);
  });
});

describe('browser safety', () => {
  it('refuses a WebSocket upgrade from a foreign Origin with 403', async () => {
    server = await startTestServer();
    const ws = new WebSocket(server.wsUrl, { headers: { origin: 'https://evil.example', authorization: `Bearer ${server.adminToken}` } });
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });

  it('accepts a same-origin and a listed Origin', async () => {
    server = await startTestServer({ corsOrigins: ['https://app.example'] });
    const host = new URL(server.httpUrl).host;
    for (const origin of [`http://${host}`, 'https://app.example']) {
      const c = await TestClient.connect(server.wsUrl, { headers: { origin } });
      await c.waitFor((m) => m.type === 'connected');
      c.close();
    }
  });

  it('answers CORS preflight only for listed origins', async () => {
    server = await startTestServer({ corsOrigins: ['https://app.example'] });
    const ok = await fetch(`${server.httpUrl}/api/events`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const no = await fetch(`${server.httpUrl}/api/events`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers with the dashboard page', async () => {
    server = await startTestServer({ dashboard: true });
    const res = await fetch(`${server.httpUrl}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('puts a request id on every HTTP response', async () => {
    server = await startTestServer();
    const r = await http(server, 'GET', '/health', undefined, { token: null });
    expect(r.headers.get('x-request-id')).toMatch(/^r_/);
  });
});
