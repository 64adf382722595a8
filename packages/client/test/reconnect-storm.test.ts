import type { HeraldEvent } from '@herald/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../server/test/helpers.js';
import { fullJitterBackoff, HeraldClient, type HeraldClientOptions, type StatusChange } from '../src/index.js';
import { sleep, storedEvents, until } from './support/herald-log.js';
import { TcpProxy } from './support/tcp-proxy.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWithProxy(): Promise<{ server: TestServer; proxy: TcpProxy }> {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const proxy = await TcpProxy.start(server.port);
  cleanups.push(() => proxy.close());
  return { server, proxy };
}

function client(options: HeraldClientOptions): HeraldClient {
  const c = new HeraldClient({ WebSocket, backoff: fullJitterBackoff({ initialDelayMs: 20, maxDelayMs: 200 }), ...options });
  cleanups.push(() => c.close());
  return c;
}

describe('HeraldClient against a real server', () => {
  describe('reconnect storms', () => {
    it('delivers every matching event once and in order while connections are cut again and again', async () => {
      const { server, proxy } = await serverWithProxy();
      let tokenCalls = 0;
      const subscriber = client({
        url: proxy.wsUrl,
        getToken: async () => {
          tokenCalls++;
          return server.adminToken;
        },
      });
      const statuses: StatusChange[] = [];
      subscriber.on('status', (s) => statuses.push(s));
      const all: HeraldEvent[] = [];
      const even: HeraldEvent[] = [];
      // One subscription read as an async iterator, one through the emitter only (so it buffers nothing).
      const allSub = subscriber.subscribe({ types: ['storm.*'] });
      const reading = (async () => {
        for await (const e of allSub) all.push(e);
      })();
      const evenSub = subscriber.subscribe({ types: ['storm.tick'], filters: { 'data.parity': 'even' }, bufferSize: 0 });
      evenSub.on('event', (e) => even.push(e));
      await Promise.all([allSub.ready(), evenSub.ready()]);

      // The publisher goes through the proxy too, so its publishes are cut mid-flight and resent.
      const publisher = client({ url: proxy.wsUrl, token: server.adminToken });
      const TOTAL = 1200;
      const BATCH = 20;
      const acked: string[] = [];
      const publishing = (async () => {
        for (let n = 0; n < TOTAL; n += BATCH) {
          const batch = Array.from({ length: BATCH }, (_, i) => ({
            type: 'storm.tick',
            data: { n: n + i, parity: (n + i) % 2 === 0 ? 'even' : 'odd' },
          }));
          const { ids } = await publisher.publish(batch);
          acked.push(...ids);
          await sleep(15);
        }
      })();

      let cuts = 0;
      let isPublishing = true;
      void publishing.finally(() => (isPublishing = false));
      while (isPublishing || cuts < 12) {
        await sleep(40 + Math.random() * 60);
        if (cuts % 4 === 3) subscriber.reconnect();
        else proxy.cutAll();
        cuts++;
      }
      await publishing;

      const stored = await storedEvents(publisher, ['storm.*']);
      expect(stored).toHaveLength(TOTAL);
      expect(new Set(stored.map((e) => e.id)).size).toBe(TOTAL);
      expect(new Set(acked)).toEqual(new Set(stored.map((e) => e.id)));

      await until('the subscriber to catch up', () => all.length >= stored.length);
      await sleep(200);
      expect(all.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
      const storedEven = stored.filter((e) => (e.data as { parity: string }).parity === 'even');
      await until('the filtered subscription to catch up', () => even.length >= storedEven.length);
      expect(even.map((e) => e.seq)).toEqual(storedEven.map((e) => e.seq));

      expect(statuses.filter((s) => s.state === 'reconnecting').length).toBeGreaterThanOrEqual(10);
      expect(tokenCalls).toBeGreaterThanOrEqual(10);
      expect(allSub.stats.dropped).toBe(0);
      await allSub.unsubscribe();
      await reading;
    });
  });
});
