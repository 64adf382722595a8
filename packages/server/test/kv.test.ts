import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth/mint-token.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const SECRET = 'kv-test-secret-0123456789abcdef0123456789';
const READ_ONLY_KEY = 'kv-reader-0123456789abcdef0123';

let server: TestServer;
beforeAll(async () => {
  // Frames may be larger than a KV value, so that the 64 KiB value limit is what refuses.
  server = await startTestServer({
    limits: { maxPayloadBytes: 256 * 1024 },
    jwt: { secret: SECRET },
    apiKeys: [`reader:${READ_ONLY_KEY}:call:kv.get,call:kv.list`],
  });
});
afterAll(async () => {
  await server.close();
});

async function connected(token?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl, token ? { token } : {});
  await c.waitFor((m) => m.type === 'connected');
  return c;
}
const call = (c: TestClient, tool: string, params: Record<string, unknown>) => c.request('call', { tool, params });
const orgToken = (org: string) =>
  mintToken({ secret: SECRET, sub: `user-${org}`, org, permissions: ['call:kv.*', 'subscribe:*'], ttlS: 600 });

describe('KV over the socket', () => {
  it('round-trips any JSON value with its expiry and size', async () => {
    const c = await connected();
    const value = { cart: ['a', 'b'], total: 12.5, note: 'héllo' };
    const set = await call(c, 'kv.set', { key: 'cart:42', value, ttl_s: 3600 });
    expect(set).toMatchObject({ type: 'result', data: { key: 'cart:42', value, ttl_s: 3600 } });
    const got = await call(c, 'kv.get', { key: 'cart:42' });
    expect(got.data).toMatchObject({ key: 'cart:42', value, size_bytes: Buffer.byteLength(JSON.stringify(value)) });
    expect(Date.parse(String((got.data as { expires_at: string }).expires_at)) - Date.now()).toBeGreaterThan(3_500_000);
    expect(await call(c, 'kv.delete', { key: 'cart:42' })).toMatchObject({ type: 'result', data: { key: 'cart:42', deleted: true } });
    expect(await call(c, 'kv.get', { key: 'cart:42' })).toMatchObject({
      type: 'error',
      code: 'not_found',
      details: { path: 'params.key' },
    });
    c.close();
  });

  it('forgets a key once its ttl_s passed', async () => {
    const c = await connected();
    await call(c, 'kv.set', { key: 'short-lived', value: 1, ttl_s: 0.05 });
    await sleep(120);
    expect(await call(c, 'kv.get', { key: 'short-lived' })).toMatchObject({ type: 'error', code: 'not_found' });
    expect((await call(c, 'kv.list', { prefix: 'short' })).data).toEqual({ keys: [], next_cursor: null });
    c.close();
  });

  it('lists by prefix a page at a time with a cursor', async () => {
    const c = await connected();
    for (const k of ['page:a', 'page:b', 'page:c', 'other']) await call(c, 'kv.set', { key: k, value: k });
    const first = (await call(c, 'kv.list', { prefix: 'page:', limit: 2 })).data as { keys: Array<{ key: string }>; next_cursor: string };
    expect(first.keys.map((k) => k.key)).toEqual(['page:a', 'page:b']);
    const second = (await call(c, 'kv.list', { prefix: 'page:', limit: 2, cursor: first.next_cursor })).data as {
      keys: Array<{ key: string }>;
      next_cursor: null;
    };
    expect(second).toMatchObject({ keys: [{ key: 'page:c' }], next_cursor: null });
    c.close();
  });

  it('refuses a value over 64 KiB, a bad key and a bad ttl with precise errors, storing nothing', async () => {
    const c = await connected();
    const big = await call(c, 'kv.set', { key: 'big', value: 'x'.repeat(64 * 1024) });
    expect(big).toMatchObject({
      type: 'error',
      code: 'payload_too_large',
      details: { path: 'params.value', max_bytes: 65536, size_bytes: 65538 },
    });
    expect(await call(c, 'kv.get', { key: 'big' })).toMatchObject({ code: 'not_found' });
    expect(await call(c, 'kv.set', { key: 'has space', value: 1 })).toMatchObject({
      code: 'invalid_params',
      details: { path: 'params.key' },
    });
    expect(await call(c, 'kv.set', { key: 'k'.repeat(257), value: 1 })).toMatchObject({
      code: 'invalid_params',
      details: { path: 'params.key' },
    });
    expect(await call(c, 'kv.set', { key: 'ok', value: 1, ttl_s: -1 })).toMatchObject({
      code: 'invalid_params',
      details: { path: 'params.ttl_s' },
    });
    expect(await call(c, 'kv.set', { key: 'ok' })).toMatchObject({ code: 'invalid_params', details: { path: 'params.value' } });
    c.close();
  });

  it('keeps orgs apart and publishes kv.updated in the writer org only', async () => {
    const acme = await connected(await orgToken('acme'));
    const globex = await connected(await orgToken('globex'));
    await acme.request('subscribe', { event_types: ['kv.updated'] });
    await globex.request('subscribe', { event_types: ['kv.updated'] });
    await call(acme, 'kv.set', { key: 'shared-name', value: 'acme' });
    await call(globex, 'kv.set', { key: 'shared-name', value: 'globex' });
    expect((await call(acme, 'kv.get', { key: 'shared-name' })).data).toMatchObject({ value: 'acme' });
    expect((await call(globex, 'kv.get', { key: 'shared-name' })).data).toMatchObject({ value: 'globex' });
    await acme.waitFor((m) => m.type === 'event');
    await call(acme, 'kv.delete', { key: 'shared-name' });
    await acme.waitFor((m) => m.type === 'event' && (m.event as { data: { op: string } }).data.op === 'delete');
    expect(acme.events().map((e) => [e.org, e.data])).toEqual([
      ['acme', { key: 'shared-name', op: 'set' }],
      ['acme', { key: 'shared-name', op: 'delete' }],
    ]);
    expect(globex.events().map((e) => e.org)).toEqual(['globex']);
    acme.close();
    globex.close();
  });

  it('needs call:kv.<op>: a reader key may get but not set', async () => {
    const c = await connected(READ_ONLY_KEY);
    expect(await call(c, 'kv.set', { key: 'x', value: 1 })).toMatchObject({ code: 'forbidden', details: { permission: 'call:kv.set' } });
    expect(await call(c, 'kv.get', { key: 'x' })).toMatchObject({ code: 'not_found' });
    c.close();
  });

  it('reports kv totals in metrics.get and request_metrics', async () => {
    const c = await connected();
    await call(c, 'kv.set', { key: 'metric:one', value: 'x'.repeat(2046) });
    const m = (await call(c, 'metrics.get', {})).data as { kv: { totalKeys: number; totalSize: number } };
    expect(m.kv.totalKeys).toBeGreaterThanOrEqual(1);
    expect(m.kv.totalSize).toBeGreaterThanOrEqual(2);
    const alias = await c.request('request_metrics');
    expect(alias).toMatchObject({ type: 'result', data: { kv: { totalKeys: m.kv.totalKeys } } });
    c.close();
  });
});

describe('KV over HTTP', () => {
  it('round-trips with PUT, GET, list by prefix and DELETE, keys with slashes included', async () => {
    const put = await http(server, 'PUT', '/api/kv/config/app.v1', { value: { flags: [1, 2] }, ttl_s: 60 });
    expect(put).toMatchObject({ status: 200, body: { key: 'config/app.v1', value: { flags: [1, 2] }, ttl_s: 60 } });
    expect((await http(server, 'GET', '/api/kv/config/app.v1')).body).toMatchObject({ value: { flags: [1, 2] } });
    expect((await http(server, 'GET', '/api/kv?prefix=config/')).body.keys.map((k: { key: string }) => k.key)).toEqual(['config/app.v1']);
    expect(await http(server, 'DELETE', '/api/kv/config/app.v1')).toMatchObject({ status: 200, body: { deleted: true } });
    const missing = await http(server, 'GET', '/api/kv/config/app.v1');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('shares the org-less namespace between the admin token over HTTP and over the socket', async () => {
    await http(server, 'PUT', '/api/kv/both-ways', { value: 'from http' });
    const c = await connected();
    expect((await call(c, 'kv.get', { key: 'both-ways' })).data).toMatchObject({ value: 'from http' });
    c.close();
  });

  it('answers 413 for a value over 64 KiB and 400 for a body without value', async () => {
    expect(await http(server, 'PUT', '/api/kv/too-big', { value: 'x'.repeat(70_000) })).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
    expect((await http(server, 'PUT', '/api/kv/no-value', { ttl_s: 5 })).status).toBe(400);
  });
});

describe('the metrics event', () => {
  it('carries kv totals in KB', async () => {
    const own = await startTestServer({ metricsEventIntervalMs: 100 });
    try {
      await http(own, 'PUT', '/api/kv/sized', { value: 'x'.repeat(1022) });
      const c = await TestClient.connect(own.wsUrl);
      await c.request('subscribe', { event_types: ['metrics'] });
      const frame = await c.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'metrics');
      expect((frame.event as { data: { kv: unknown } }).data.kv).toEqual({ totalKeys: 1, totalSize: 1 });
      c.close();
    } finally {
      await own.close();
    }
  });
});
