import { createHmac } from 'node:crypto';
import type { HeraldEvent } from '@herald/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../server/test/helpers.js';
import { constantBackoff, HeraldClient, type HeraldClientOptions, type StatusChange } from '../src/index.js';
import { sleep, until } from './support/herald-log.js';

const SECRET = 'client-test-secret-0123456789abcdef-0123456789';

/** An HS256 JWT for `sub`, valid for `ttlS` seconds. */
function mintJwt(sub: string, ttlS: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub,
    permissions: ['subscribe:*', 'publish:*', 'history:*'],
    exp: Math.floor(Date.now() / 1000) + ttlS,
  })}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function jwtServer(): Promise<TestServer> {
  const server = await startTestServer({
    jwt: { secret: SECRET, clockSkewS: 0 },
    limits: { tokenExpiringNoticeMs: 1_500, tokenGraceMs: 500 },
  });
  cleanups.push(() => server.close());
  return server;
}

function client(options: HeraldClientOptions): HeraldClient {
  const c = new HeraldClient({ WebSocket, backoff: constantBackoff(50), ...options });
  cleanups.push(() => c.close());
  return c;
}

describe('HeraldClient against a real server', () => {
  describe('token refresh', () => {
    it('answers token_expiring with a fresh token from getToken and keeps the same connection', async () => {
      const server = await jwtServer();
      const tokens: string[] = [];
      const subscriber = client({
        url: server.wsUrl,
        getToken: () => {
          tokens.push(mintJwt('svc', 2));
          return tokens.at(-1)!;
        },
      });
      const statuses: StatusChange[] = [];
      subscriber.on('status', (s) => statuses.push(s));
      const notices: string[] = [];
      subscriber.on('notice', (n) => notices.push(n.code));
      const seen: HeraldEvent[] = [];
      const sub = subscriber.subscribe({ types: ['token.*'] });
      sub.on('event', (e) => seen.push(e));
      await sub.ready();

      const publisher = client({ url: server.wsUrl, token: server.adminToken });
      for (let n = 0; n < 8; n++) {
        await publisher.publish({ type: 'token.tick', data: { n } });
        await sleep(500);
      }
      await until('every event', () => seen.length === 8);

      expect(notices).toContain('token_expiring');
      expect(tokens.length).toBeGreaterThanOrEqual(3);
      expect(statuses.map((s) => s.state)).toEqual(['open']);
      expect(subscriber.state).toBe('open');
    });

    it('stops, as close code 1008 says, when the server refuses a token that expired for good', async () => {
      const server = await jwtServer();
      const stale = client({ url: server.wsUrl, token: mintJwt('svc', 2) });
      await stale.ready();
      const closed = new Promise<StatusChange>((resolve) => stale.on('status', (s) => s.state === 'closed' && resolve(s)));
      const final = await closed;
      // 4003 after the grace period (reconnect), then 1008 for the expired token (stop).
      expect(final.closeCode).toBe(1008);
      await expect(stale.publish({ type: 'token.tick' })).rejects.toMatchObject({ code: 'connection_closed' });
    });
  });
});
