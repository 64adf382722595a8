import type { HeraldEvent } from '@herald/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../server/test/helpers.js';
import { fullJitterBackoff, HeraldClient, HeraldQueueFullError, type HeraldClientOptions } from '../src/index.js';
import { storedEvents, until } from './support/herald-log.js';
import { TcpProxy } from './support/tcp-proxy.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function client(options: HeraldClientOptions): HeraldClient {
  const c = new HeraldClient({ WebSocket, backoff: fullJitterBackoff({ initialDelayMs: 20, maxDelayMs: 200 }), ...options });
  cleanups.push(() => c.close());
  return c;
}

const ticks = (from: number, count: number, source: string) =>
  Array.from({ length: count }, (_, i) => ({ type: 'restart.tick', source, data: { n: from + i } }));

describe('HeraldClient against a real server', () => {
  describe('server restart', () => {
    it('replays events acknowledged before a restart and sends what was published while the server was down', async () => {
      const first = await startTestServer();
      const dataDir = first.dataDir;
      // Assigned after the cleanup that reads it is registered.
      // eslint-disable-next-line prefer-const
      let second: TestServer | undefined;
      cleanups.push(() => second?.close());
      cleanups.push(() => first.close({ keepData: true }));
      const proxy = await TcpProxy.start(first.port);
      cleanups.push(() => proxy.close());

      const subscriber = client({ url: proxy.wsUrl, token: first.adminToken });
      const seen: HeraldEvent[] = [];
      const sub = subscriber.subscribe({ types: ['restart.*'] });
      sub.on('event', (e) => seen.push(e));
      await sub.ready();
      const publisher = client({ url: proxy.wsUrl, token: first.adminToken });
      await publisher.publish(ticks(0, 20, 'before'));
      await until('the first events to arrive', () => seen.length === 20);

      // The subscriber loses its connection; meanwhile a direct publisher gets 30 events acknowledged.
      proxy.refuse(true);
      proxy.cutAll();
      const direct = client({ url: first.wsUrl, token: first.adminToken });
      const whileAway = await direct.publish(ticks(20, 30, 'while-away'));
      expect(whileAway.seqs).toHaveLength(30);
      direct.close();
      await first.close({ keepData: true });

      // Published with no server at all: queued in the SDK.
      const queued = publisher.publish(ticks(50, 10, 'queued'));

      second = await startTestServer({ dataDir });
      proxy.retarget(second.port);
      proxy.refuse(false);
      await expect(queued).resolves.toMatchObject({ seqs: expect.any(Array) });

      const stored = await storedEvents(publisher, ['restart.*']);
      expect(stored).toHaveLength(60);
      expect(new Set(stored.map((e) => e.id)).size).toBe(60);
      await until('the subscriber to catch up after the restart', () => seen.length >= 60);
      expect(seen.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
      expect(seen.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    });
  });

  describe('offline publishing', () => {
    it('queues publishes while unreachable, refuses past the bound, and stores each queued event once on connect', async () => {
      const server = await startTestServer();
      cleanups.push(() => server.close());
      const proxy = await TcpProxy.start(server.port);
      cleanups.push(() => proxy.close());
      proxy.refuse(true);

      const publisher = client({ url: proxy.wsUrl, token: server.adminToken, maxPendingPublishEvents: 10 });
      const accepted = [publisher.publish(ticks(0, 6, 'offline')), publisher.publish(ticks(6, 4, 'offline'))];
      const refused = publisher.publish({ type: 'restart.tick', data: { n: 10 } });
      await expect(refused).rejects.toBeInstanceOf(HeraldQueueFullError);
      await expect(refused).rejects.toThrow(/10 of at most 10 already wait/);
      await until('a few failed tries', () => publisher.state === 'reconnecting');

      proxy.refuse(false);
      const results = await Promise.all(accepted);
      expect(results.flatMap((r) => r.seqs)).toHaveLength(10);
      const stored = await storedEvents(publisher, ['restart.*']);
      expect(stored.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });
});
