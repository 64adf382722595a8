import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth/mint-token.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const SECRET = 'integration-test-jwt-secret-0123456789';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer({ jwt: { secret: SECRET }, limits: { authTimeoutMs: 2_000 } });
  token = await mintToken({ secret: SECRET, sub: 'ada', permissions: ['subscribe:claude.*'], ttlS: 600 });
});
afterAll(async () => {
  await server.close();
});

async function welcomed(client: TestClient): Promise<Record<string, unknown>> {
  return client.waitFor((m) => m.type === 'connected');
}

describe('JWT identities over WebSocket', () => {
  it('connects with a JWT in the Authorization header and receives the events its permission allows', async () => {
    const c = await TestClient.connect(server.wsUrl, { token });
    expect(await welcomed(c)).toMatchObject({ user: { id: 'ada' } });
    expect(await c.request('subscribe', { event_types: ['claude.*'] })).toMatchObject({ type: 'subscribed' });
    await server.publish([{ type: 'claude.session.started', data: { n: 1 } }]);
    await c.waitFor((m) => m.type === 'event');
    expect(c.events().map((e) => e.type)).toEqual(['claude.session.started']);
    c.close();
  });

  it('connects with a JWT in the token query parameter', async () => {
    const c = await TestClient.connect(`${server.wsUrl}?token=${encodeURIComponent(token)}`, { token: null });
    expect(await welcomed(c)).toMatchObject({ user: { id: 'ada' } });
    c.close();
  });

  it('connects with a JWT sent in the auth message', async () => {
    const c = await TestClient.connect(server.wsUrl, { token: null });
    c.send({ action: 'auth', token });
    expect(await welcomed(c)).toMatchObject({ user: { id: 'ada' } });
    c.close();
  });

  it('refuses a subscription beyond the token permissions with forbidden, naming the missing permission', async () => {
    const c = await TestClient.connect(server.wsUrl, { token });
    await welcomed(c);
    const reply = await c.request('subscribe', { event_types: ['repo.*'] });
    expect(reply).toMatchObject({ type: 'error', code: 'forbidden', details: { permission: 'subscribe:repo.*' } });
    expect(reply.message).toContain('subscribe:repo.*');
    c.close();
  });

  it('closes with 1008 when the JWT signature does not verify', async () => {
    const forged = await mintToken({ secret: 'another-secret-that-is-long-enough-000', sub: 'mallory', permissions: ['admin'], ttlS: 600 });
    const c = await TestClient.connect(server.wsUrl, { token: forged });
    expect(await c.closed).toBe(1008);
    expect(c.closeReason).toMatch(/signature/);
    expect(c.closeReason).not.toContain(forged);
  });

  it('closes with 1008 and a reason saying so when the JWT has expired', async () => {
    const expired = await new SignJWT({ sub: 'ada', permissions: ['subscribe:*'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(SECRET));
    const c = await TestClient.connect(server.wsUrl, { token: expired });
    expect(await c.closed).toBe(1008);
    expect(c.closeReason).toMatch(/expired at \d{4}-\d\d-\d\dT.*get a fresh one/);
  });

  it('closes with 1008 when the auth message carries an unsigned token', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const c = await TestClient.connect(server.wsUrl, { token: null });
    c.send({ action: 'auth', token: `${b64({ alg: 'none' })}.${b64({ sub: 'mallory', permissions: ['admin'] })}.` });
    expect(await c.closed).toBe(1008);
    expect(c.closeReason).toMatch(/alg "none"/);
  });

  it('still accepts the admin token when JWTs are configured', async () => {
    const c = await TestClient.connect(server.wsUrl);
    expect(await welcomed(c)).toMatchObject({ user: { id: 'admin' } });
    c.close();
  });
});

describe('JWT identities over HTTP', () => {
  it('answers 401 with the reason for an expired JWT and accepts a valid one', async () => {
    const expired = await mintToken({ secret: SECRET, sub: 'ada', permissions: ['history:*'], ttlS: 1, nowMs: Date.now() - 3_600_000 });
    const refused = await http(server, 'GET', '/api/events/history', undefined, { token: expired });
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).toMatch(/expired/);
    const reader = await mintToken({ secret: SECRET, sub: 'ada', permissions: ['history:*'], ttlS: 600 });
    expect((await http(server, 'GET', '/api/events/history', undefined, { token: reader })).status).toBe(200);
  });
});
