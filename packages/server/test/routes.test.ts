import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, startTestServer, type TestServer } from './helpers.js';
import { type LoopbackBackends, startLoopbackBackends } from './loopback-backends.js';

const ROUTE_ONLY_KEY = 'route-only-key-0123456789abcdef';
const BLOCKED_KEY = 'blocked-key-0123456789abcdef0123';

let backends: LoopbackBackends;
let server: TestServer;

beforeAll(async () => {
  backends = await startLoopbackBackends();
  const url = (path: string) => `${backends.url}${path}`;
  server = await startTestServer({
    apiKeys: [`route-only:${ROUTE_ONLY_KEY}:call:route.summarize`, `blocked-user:${BLOCKED_KEY}:call:route.*`],
    routes: {
      summarize: { url: url('/ndjson') },
      narrate: { url: url('/sse') },
      lookup: { url: url('/unary') },
      broken: { url: url('/fail') },
      garbled: { url: url('/text-garbage') },
      halfGarbled: { url: url('/ndjson-garbage') },
      overloaded: { url: url('/stream-error') },
      ponder: { url: url('/slow'), timeoutMs: 300 },
      ponderLong: { url: url('/slow') },
      tiny: { url: url('/unary'), maxPayloadBytes: 64 },
      nowhere: { url: 'http://127.0.0.1:9/closed' },
      echoTool: { tool: 'everything/echo' },
      $connect: { url: url('/connect') },
      $disconnect: { url: url('/disconnect') },
      $default: { url: url('/default') },
    },
  });
});
afterAll(async () => {
  await server.close();
  await backends.close();
});

async function connected(token?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl, token ? { token } : {});
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

/** Sends a routed action and collects its frames up to the final one. */
async function route(c: TestClient, message: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  const id = `r${Math.random().toString(36).slice(2)}`;
  const from = c.messages.length;
  c.send({ ...message, id });
  await c.waitFor((m) => m.id === id && ['result', 'complete', 'error'].includes(String(m.type)), 5_000, from);
  return c.messages.slice(from).filter((m) => m.id === id);
}

describe('routes', () => {
  it('relays an NDJSON reply as chunks in order, then complete with the result', async () => {
    const c = await connected();
    const frames = await route(c, { action: 'summarize', message: 'the quick fox' });
    expect(frames.map((f) => f.type)).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'complete']);
    expect(
      frames
        .slice(0, 4)
        .map((f) => f.content)
        .join(''),
    ).toBe('echo: the quick fox');
    expect(frames[4]).toMatchObject({ type: 'complete', content: '', result: { words: 3 } });
    for (const f of frames) expect(typeof f.timestamp).toBe('number');
    c.close();
  });

  it('relays server-sent events as chunks, and a unary reply as one result', async () => {
    const c = await connected();
    const sse = await route(c, { action: 'narrate', message: 'hi there' });
    expect(sse.map((f) => f.content ?? '').join('')).toBe('echo: hi there');
    expect(sse.at(-1)).toMatchObject({ type: 'complete', result: { done: true } });
    const unary = await route(c, { action: 'lookup', sku: 'A-1' });
    expect(unary).toHaveLength(1);
    expect(unary[0]).toMatchObject({ type: 'result', data: { ok: true, got: { action: 'lookup', sku: 'A-1' } } });
    c.close();
  });

  it('posts the client message with its action and the connection record', async () => {
    const c = await connected();
    const welcome = c.messages.find((m) => m.type === 'connected')!;
    await route(c, { action: 'lookup', marker: 'record-check' });
    const got = await backends.waitForRequest('/unary', (r) => r.body.marker === 'record-check');
    expect(got.body).toMatchObject({
      action: 'lookup',
      marker: 'record-check',
      connection: { connection_id: welcome.client_id, session_id: welcome.session_id, actor_id: 'admin' },
    });
    expect(Date.parse(String((got.body.connection as { connected_at: string }).connected_at))).not.toBeNaN();
    c.close();
  });

  it('answers an error frame naming the backend failure, and the socket stays usable', async () => {
    const c = await connected();
    const cases: Array<[string, string, RegExp]> = [
      ['broken', 'upstream_error', /HTTP 500: database down/],
      ['garbled', 'upstream_error', /not JSON/],
      ['halfGarbled', 'upstream_error', /NDJSON line 2 is not JSON/],
      ['overloaded', 'upstream_error', /model overloaded/],
      ['nowhere', 'upstream_unavailable', /cannot reach http:\/\/127\.0\.0\.1:9\/closed/],
    ];
    for (const [action, code, message] of cases) {
      const frames = await route(c, { action });
      const last = frames.at(-1)!;
      expect(last, action).toMatchObject({ type: 'error', code });
      expect(String(last.message), action).toMatch(message);
      expect(last.content).toBe(last.message);
    }
    expect(await c.request('ping')).toMatchObject({ type: 'pong' });
    c.close();
  });

  it('times a slow backend out with call_timeout after the route timeout and aborts its request', async () => {
    const c = await connected();
    const frames = await route(c, { action: 'ponder' });
    expect(frames.map((f) => f.type)).toEqual(['chunk', 'error']);
    expect(frames[1]).toMatchObject({ code: 'call_timeout', details: { timeout_ms: 300 } });
    await backends.waitForAbort('/slow');
    c.close();
  });

  it('aborts the backend request when the caller disconnects', async () => {
    const before = backends.aborted.filter((p) => p === '/slow').length;
    const c = await connected();
    c.send({ action: 'ponderLong', id: 'p' });
    await c.waitFor((m) => m.id === 'p' && m.type === 'chunk');
    c.close();
    await expect.poll(() => backends.aborted.filter((p) => p === '/slow').length, { timeout: 5_000 }).toBeGreaterThan(before);
  });

  it('refuses a message larger than the route maxPayloadBytes before calling the backend', async () => {
    const c = await connected();
    const count = backends.received.length;
    const frames = await route(c, { action: 'tiny', text: 'x'.repeat(100) });
    expect(frames[0]).toMatchObject({ type: 'error', code: 'payload_too_large', details: { max_bytes: 64 } });
    expect(String(frames[0]!.message)).toContain('routes.tiny.maxPayloadBytes');
    expect(backends.received.length).toBe(count);
    c.close();
  });

  it('sends unknown actions to $default', async () => {
    const c = await connected();
    const frames = await route(c, { action: 'whatever', n: 1 });
    expect(frames[0]).toMatchObject({ type: 'result', data: { path: '/default', body: { action: 'whatever', n: 1 } } });
    c.close();
  });

  it('needs call:route.<action>: a key for one route gets forbidden on another and on $default', async () => {
    const c = await connected(ROUTE_ONLY_KEY);
    const ok = await route(c, { action: 'summarize', message: 'ok' });
    expect(ok.at(-1)).toMatchObject({ type: 'complete' });
    const denied = await route(c, { action: 'lookup' });
    expect(denied[0]).toMatchObject({ type: 'error', code: 'forbidden', details: { permission: 'call:route.lookup' } });
    const fallback = await route(c, { action: 'whatever' });
    expect(fallback[0]).toMatchObject({ type: 'error', code: 'forbidden', details: { permission: 'call:route.$default' } });
    c.close();
  });

  it('answers a route to a tool of an MCP server that is not configured with not_found, saying none is', async () => {
    const c = await connected();
    const frames = await route(c, { action: 'echoTool', text: 'x' });
    expect(frames[0]).toMatchObject({ type: 'error', code: 'not_found', details: { servers: [] } });
    expect(String(frames[0]!.message)).toMatch(/no MCP server named "everything"; none is configured/);
    c.close();
  });
});

describe('$connect and $disconnect', () => {
  it('tells $connect of each connection with its record before the welcome, and $disconnect when it closes', async () => {
    const c = await connected();
    const welcome = c.messages.find((m) => m.type === 'connected')!;
    const record = { connection_id: welcome.client_id, session_id: welcome.session_id, actor_id: 'admin' };
    expect((await backends.waitForRequest('/connect', (r) => r.body.connection_id === welcome.client_id)).body).toMatchObject(record);
    c.close();
    const bye = await backends.waitForRequest('/disconnect', (r) => r.body.connection_id === welcome.client_id);
    expect(bye.body).toMatchObject(record);
    expect(Object.keys(bye.body).sort()).toEqual(['actor_id', 'connected_at', 'connection_id', 'session_id']);
  });

  it('refuses the connection with close 1008 when $connect answers non-2xx', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: BLOCKED_KEY });
    expect(await c.closed).toBe(1008);
    expect(c.closeReason).toContain('HTTP 403');
    expect(c.messages.some((m) => m.type === 'connected')).toBe(false);
  });
});
