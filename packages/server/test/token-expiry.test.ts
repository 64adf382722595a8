import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth/mint-token.js';
import { TestClient, startTestServer, type TestServer } from './helpers.js';

const SECRET = 'token-expiry-test-secret-0123456789abcdef';

let server: TestServer;
beforeAll(async () => {
  // exp has one-second resolution: short tokens and a short notice and grace keep this quick.
  server = await startTestServer({ jwt: { secret: SECRET, clockSkewS: 0 }, limits: { tokenExpiringNoticeMs: 1_000, tokenGraceMs: 1_000 } });
});
afterAll(async () => {
  await server.close();
});

const token = (ttlS: number, permissions = ['subscribe:*', 'publish:*']) => mintToken({ secret: SECRET, sub: 'tia', permissions, ttlS });

describe('expiring tokens', () => {
  it('sends token_expiring before expiry and token_expired at expiry, then closes with 4003 when no fresh token comes', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: await token(2) });
    await c.waitFor((m) => m.type === 'connected');
    const expiring = await c.waitFor((m) => m.code === 'token_expiring', 4_000);
    expect(Date.parse((expiring.details as { expires_at: string }).expires_at)).toBeGreaterThan(Date.now() - 1_000);
    const expired = await c.waitFor((m) => m.code === 'token_expired', 4_000);
    expect(expired.details).toMatchObject({ grace_ms: 1_000 });
    expect(await c.request('subscribe', { event_types: ['*'] })).toMatchObject({ code: 'token_expired' });
    expect(await c.closed).toBe(4003);
  });

  it('keeps the connection and its subscriptions when a fresh token arrives in the grace period', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: await token(1) });
    await c.waitFor((m) => m.type === 'connected');
    const sub = await c.request('subscribe', { event_types: ['keep.*'] });
    await c.waitFor((m) => m.code === 'token_expired', 4_000);
    const r = await c.request('auth', { token: await token(600) });
    expect(r).toMatchObject({ type: 'authenticated', user: { id: 'tia' } });
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(c.closeCode).toBeUndefined();
    await server.publish([{ type: 'keep.alive' }]);
    const f = await c.waitFor((m) => m.type === 'event');
    expect(f.subscriptions).toEqual([sub.subscription_id]);
    c.close();
  });

  it('refuses a fresh token for a different user', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: await token(600) });
    await c.waitFor((m) => m.type === 'connected');
    const other = await mintToken({ secret: SECRET, sub: 'mallory', permissions: ['admin'], ttlS: 600 });
    expect(await c.request('auth', { token: other })).toMatchObject({ type: 'error', code: 'forbidden' });
    c.close();
  });

  it('drops subscriptions a fresh token no longer allows, and says so', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: await token(600, ['subscribe:*']) });
    await c.waitFor((m) => m.type === 'connected');
    const wide = await c.request('subscribe', { event_types: ['repo.*'] });
    const narrow = await c.request('subscribe', { event_types: ['claude.*'] });
    await c.request('auth', { token: await token(600, ['subscribe:claude.*']) });
    const notice = await c.waitFor((m) => m.type === 'unsubscribed');
    expect(notice).toMatchObject({ subscription_ids: [wide.subscription_id], reason: 'permission' });
    const list = await c.request('list_subscriptions');
    expect((list.subscriptions as Array<{ subscription_id: string }>).map((s) => s.subscription_id)).toEqual([narrow.subscription_id]);
    c.close();
  });
});
