import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ apiKeys: ['ingest:ingest-key-0123456789abcdef', 'reader:reader-key-0123456789abcdef:history:*'] });
});
afterAll(async () => {
  await server.close();
});

describe('GET /health', () => {
  it('answers without a token with status, version, uptime, connections, store and bus', async () => {
    const r = await http(server, 'GET', '/health', undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'healthy', version: '0.1.0', active_connections: 0, store: { status: 'ok', kind: 'sqlite' }, bus: { status: 'ok', kind: 'memory' } });
    expect(Date.parse(r.body.timestamp)).toBeGreaterThan(0);
  });

  it('tells how many stored events the text-search index has yet to reach, down to none', async () => {
    await http(server, 'POST', '/api/events', { type: 'health.text', source: 'test', data: { note: 'needle' } });
    const lag = async () => (await http(server, 'GET', '/health', undefined, { token: null })).body.store.text_index_lag_events as number;
    expect(typeof (await lag())).toBe('number');
    await expect.poll(lag, { timeout: 5_000 }).toBe(0);
  });
});

describe('authentication', () => {
  it('refuses /api without a token with 401 and says how to get one', async () => {
    const r = await http(server, 'GET', '/api/metrics', undefined, { token: null });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    expect(r.body.error.message).toContain('admin-token');
  });

  it('refuses a wrong token with 401', async () => {
    expect((await http(server, 'GET', '/api/metrics', undefined, { token: 'wrong-token-wrong-token' })).status).toBe(401);
  });

  it('lets an API key publish but not read history it lacks', async () => {
    const pub = await http(server, 'POST', '/api/events', { type: 'apikey.test' }, { token: 'ingest-key-0123456789abcdef' });
    expect(pub.status).toBe(202);
    const hist = await http(server, 'GET', '/api/events/history', undefined, { token: 'ingest-key-0123456789abcdef' });
    expect(hist.status).toBe(403);
    expect(hist.body.error).toMatchObject({ code: 'forbidden', details: { permission: 'history:*' } });
  });

  it('accepts an API key in the x-api-key header', async () => {
    const r = await http(server, 'GET', '/api/events/history?limit=1', undefined, { token: null, headers: { 'x-api-key': 'reader-key-0123456789abcdef' } });
    expect(r.status).toBe(200);
  });
});

describe('POST /api/events', () => {
  it('publishes one event and answers 202 with ids and seqs once durable', async () => {
    const r = await http(server, 'POST', '/api/events', { type: 'http.one', source: 'curl', data: { ok: true } });
    expect(r.status).toBe(202);
    expect(r.body.ids).toHaveLength(1);
    const got = await http(server, 'GET', `/api/events/${r.body.ids[0]}`);
    expect(got.body).toMatchObject({ type: 'http.one', source: 'curl', seq: r.body.seqs[0], data: { ok: true } });
  });

  it('accepts a test event in the event_type/payload shape at /api/test/publish-event', async () => {
    const r = await http(server, 'POST', '/api/test/publish-event', {
      event_type: 'test',
      source: 'dashboard',
      priority: 'normal',
      data: { message: 'Test event', timestamp: '2024-01-15T10:30:00Z' },
    });
    expect(r.status).toBe(202);
    const got = await http(server, 'GET', `/api/events/${r.body.ids[0]}`);
    expect(got.body).toMatchObject({ type: 'test', category: 'dashboard', source: 'dashboard' });
  });

  it('accepts a CloudEvents structured event', async () => {
    const ce = { specversion: '1.0', id: 'ce-1', type: 'com.example.order.created', source: '/orders', time: '2026-11-21T12:00:00Z', datacontenttype: 'application/json', data: { order: 7 } };
    const r = await http(server, 'POST', '/api/events', ce, { headers: { 'content-type': 'application/cloudevents+json' } });
    expect(r.status).toBe(202);
    expect(r.body.ids).toEqual(['ce-1']);
    const got = await http(server, 'GET', '/api/events/ce-1');
    expect(got.body).toMatchObject({ type: 'com.example.order.created', source: '/orders', time: '2026-11-21T12:00:00.000Z', data: { order: 7 } });
  });

  it('accepts a CloudEvents binary-mode event with ce-* headers', async () => {
    const r = await http(server, 'POST', '/api/events', undefined, {
      rawBody: JSON.stringify({ amount: 12 }),
      headers: { 'content-type': 'application/json', 'ce-specversion': '1.0', 'ce-id': 'ce-bin-1', 'ce-type': 'payment.settled', 'ce-source': 'billing', 'ce-severity': 'warning' },
    });
    expect(r.status).toBe(202);
    const got = await http(server, 'GET', '/api/events/ce-bin-1');
    expect(got.body).toMatchObject({ type: 'payment.settled', source: 'billing', severity: 'warning', data: { amount: 12 } });
  });

  it('publishes a batch and an array alike', async () => {
    const a = await http(server, 'POST', '/api/events', { events: [{ type: 'b.a' }, { type: 'b.b' }] });
    const b = await http(server, 'POST', '/api/events', [{ type: 'b.c' }]);
    expect(a.body.seqs).toHaveLength(2);
    expect(b.body.seqs).toHaveLength(1);
    expect(b.body.seqs[0]).toBeGreaterThan(a.body.seqs[1]);
  });

  it('answers 400 invalid_event naming the field, for a bad severity', async () => {
    const r = await http(server, 'POST', '/api/events', { type: 'x', severity: 'loud' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_event', details: { path: 'severity' } });
    expect(r.body.error.message).toContain('debug, info, success, warning, error, critical');
  });

  it('answers 400 invalid_json for a body that is not JSON', async () => {
    const r = await http(server, 'POST', '/api/events', undefined, { rawBody: '{"type":', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_json');
  });

  it('answers 415 for a body Herald does not read', async () => {
    const r = await http(server, 'POST', '/api/events', undefined, { rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('unsupported_media_type');
  });

  it('answers 413 payload_too_large past the body limit', async () => {
    const r = await http(server, 'POST', '/api/events', { type: 'big', data: { s: 'x'.repeat(1_100_000) } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('answers 429 limit_exceeded for a batch larger than maxBatchEvents', async () => {
    const r = await http(server, 'POST', '/api/events', { events: Array.from({ length: 1001 }, () => ({ type: 'many' })) });
    expect(r.status).toBe(429);
    expect(r.body.error).toMatchObject({ code: 'limit_exceeded', details: { limit: 'maxBatchEvents' } });
  });
});

describe('history', () => {
  beforeAll(async () => {
    await http(server, 'POST', '/api/events', {
      events: [
        { type: 'agent_request', source: 'orchestrator', priority: 'high', data: { agent: 'requirements_agent', payload: 'timeout while planning' } },
        { type: 'agent_response', source: 'requirements_agent', priority: 'normal', data: { agent: 'requirements_agent' } },
        { type: 'agent_error', source: 'requirements_agent', severity: 'error', priority: 'high', correlation_id: 'req-7', data: { error: 'Timeout' } },
      ],
    });
  });

  it('answers GET /api/events/history?limit=100 newest first', async () => {
    const r = await http(server, 'GET', '/api/events/history?limit=100');
    expect(r.status).toBe(200);
    const seqs = r.body.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(r.body).toHaveProperty('next_cursor');
  });

  it('filters by types, sources, severity, priority, search and correlation id', async () => {
    const q = async (qs: string) => (await http(server, 'GET', `/api/events/history?${qs}`)).body.events.map((e: { type: string }) => e.type);
    expect(await q('types=agent_*'.replace('_*', '_request,agent_error'))).toEqual(['agent_error', 'agent_request']);
    expect(await q('types=agent_request,agent_response,agent_error&sources=requirements_agent')).toEqual(['agent_error', 'agent_response']);
    expect(await q('severity=error&types=agent_error')).toEqual(['agent_error']);
    expect(await q('priority=high&types=agent_request,agent_response,agent_error')).toEqual(['agent_error', 'agent_request']);
    expect(await q('search=TIMEOUT&types=agent_request,agent_response,agent_error')).toEqual(['agent_error', 'agent_request']);
    expect(await q('correlation_id=req-7')).toEqual(['agent_error']);
  });

  it('answers POST /api/events/filter with a body of event_types, sources, priority, search and time_range', async () => {
    const r = await http(server, 'POST', '/api/events/filter', {
      event_types: ['agent_request', 'agent_response'],
      sources: ['requirements_agent'],
      priority: ['high', 'normal'],
      search: 'requirements',
      time_range: '1h',
    });
    expect(r.status).toBe(200);
    expect(r.body.events.map((e: { type: string }) => e.type)).toEqual(['agent_response']);
  });

  it('answers 400 for a malformed time_range, naming it', async () => {
    const r = await http(server, 'POST', '/api/events/filter', { time_range: 'an hour' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.path).toBe('time_range');
  });

  it('answers 400 for a malformed cursor', async () => {
    const r = await http(server, 'GET', '/api/events/history?cursor=%%%');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_params');
  });

  it('answers 404 for an unknown event id', async () => {
    const r = await http(server, 'GET', '/api/events/does-not-exist');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});

describe('metadata, stats and docs', () => {
  it('serves the registry at /api/events/metadata and /api/v1/events/metadata', async () => {
    const a = await http(server, 'GET', '/api/events/metadata');
    const b = await http(server, 'GET', '/api/v1/events/metadata');
    expect(a.body).toEqual(b.body);
    expect(a.body.categories.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['mcp', 'user', 'agent', 'system', 'audit']));
  });

  it('counts events per bucket, type, severity, priority and source', async () => {
    await http(server, 'POST', '/api/events', { events: [{ type: 'stats.x', severity: 'warning' }, { type: 'stats.x', severity: 'warning' }] });
    const r = await http(server, 'GET', '/api/events/stats?window=1h&bucket=1m');
    expect(r.status).toBe(200);
    expect(r.body.bucket_s).toBe(60);
    expect(r.body.timeline.length).toBeGreaterThanOrEqual(60);
    const sum = r.body.timeline.reduce((n: number, b: { count: number }) => n + b.count, 0);
    expect(sum).toBe(r.body.total);
    expect(r.body.by_type).toEqual(expect.arrayContaining([{ key: 'stats.x', count: 2 }]));
  });

  it('answers 400 for a malformed stats window', async () => {
    expect((await http(server, 'GET', '/api/events/stats?window=forever')).body.error.details.path).toBe('window');
  });

  it('describes the API at /openapi.json and /docs', async () => {
    const spec = await http(server, 'GET', '/openapi.json', undefined, { token: null });
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/api/events', '/api/events/history', '/api/events/filter', '/health']));
    const docs = await fetch(`${server.httpUrl}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('answers 404 with the error body for an unknown route', async () => {
    const r = await http(server, 'GET', '/api/nothing');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});

describe('metrics', () => {
  it('reports connections, events published, sent and dropped, history size and rates as JSON', async () => {
    const r = await http(server, 'GET', '/api/metrics');
    expect(r.body).toMatchObject({ active_connections: 0 });
    for (const key of ['timestamp', 'total_connections', 'events_published', 'events_sent', 'events_dropped', 'last_activity', 'event_history_size', 'rates', 'delivery_latency_ms', 'store_size_bytes']) {
      expect(r.body).toHaveProperty(key);
    }
    expect(r.body.events_published).toBeGreaterThan(0);
    expect(r.body.event_history_size).toBeGreaterThan(0);
  });

  it('exposes Prometheus metrics at /metrics', async () => {
    const res = await fetch(`${server.httpUrl}/metrics`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    const text = await res.text();
    expect(text).toContain('herald_events_published_total');
    expect(text).toContain('herald_connections_active');
  });
});
