import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeServer } from '../test/support/fake-websocket.js';
import { constantBackoff } from './backoff.js';
import { HeraldConnectionError, HeraldQueueFullError } from './errors.js';
import { HeraldClient } from './herald-client.js';
import type { HeraldClientOptions } from './client-options.js';

let server: FakeServer;
const clients: HeraldClient[] = [];

function connect(options: Partial<HeraldClientOptions> = {}): HeraldClient {
  const client = new HeraldClient({ url: 'ws://herald.test/ws', WebSocket: server.WebSocket, backoff: constantBackoff(100), ...options });
  clients.push(client);
  return client;
}

const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  server = new FakeServer();
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  vi.useRealTimers();
});

describe('HeraldClient', () => {
  describe('publish', () => {
    it('assigns ids, stamps the default source and resolves with the acknowledgement', async () => {
      const client = connect({ source: 'billing' });
      await settle();
      server.last.welcome();
      const result = client.publish({ type: 'invoice.paid', data: { n: 1 } });
      const frame = server.last.lastFrame('publish');
      const sent = frame.event as { id: string; source: string };
      expect(sent.id).toMatch(/^[0-9A-Z]{26}$/);
      expect(sent.source).toBe('billing');
      server.last.reply(frame, { type: 'published', ids: [sent.id], seqs: [3] });
      await expect(result).resolves.toEqual({ ids: [sent.id], seqs: [3] });
    });

    it('queues while offline and sends in call order on connect, as single events and batches', async () => {
      const client = connect();
      const first = client.publish({ type: 'a', id: 'id-a' });
      const second = client.publish([{ type: 'b', id: 'id-b' }, { type: 'c', id: 'id-c' }]);
      await settle();
      server.last.welcome();
      const frames = server.last.frames('publish');
      expect(frames.map((f) => (f.event ? [(f.event as { id: string }).id] : (f.events as { id: string }[]).map((e) => e.id)))).toEqual([
        ['id-a'],
        ['id-b', 'id-c'],
      ]);
      server.last.reply(frames[0]!, { type: 'published', ids: ['id-a'], seqs: [1] });
      server.last.reply(frames[1]!, { type: 'published', ids: ['id-b', 'id-c'], seqs: [2, 3] });
      await expect(Promise.all([first, second])).resolves.toEqual([
        { ids: ['id-a'], seqs: [1] },
        { ids: ['id-b', 'id-c'], seqs: [2, 3] },
      ]);
    });

    it('resends a publish whose connection dropped before the ack, under the same id', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const result = client.publish({ type: 'a' });
      const id = (server.last.lastFrame('publish').event as { id: string }).id;
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      const resent = server.last.lastFrame('publish');
      expect((resent.event as { id: string }).id).toBe(id);
      server.last.reply(resent, { type: 'published', ids: [id], seqs: [9], duplicates: [id] });
      await expect(result).resolves.toEqual({ ids: [id], seqs: [9], duplicates: [id] });
    });

    it('rejects with publish_queue_full past maxPendingPublishEvents', async () => {
      const client = connect({ maxPendingPublishEvents: 2 });
      const queued = [client.publish({ type: 'a' }), client.publish({ type: 'b' })];
      await expect(client.publish({ type: 'c' })).rejects.toBeInstanceOf(HeraldQueueFullError);
      client.close();
      await expect(Promise.all(queued)).rejects.toBeInstanceOf(HeraldConnectionError);
    });

    it('rejects with the server error and does not resend', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const result = client.publish({ type: 'bad type' });
      server.last.reply(server.last.lastFrame('publish'), { type: 'error', code: 'invalid_event', message: 'bad', details: { path: 'type' } });
      await expect(result).rejects.toMatchObject({ code: 'invalid_event', details: { path: 'type' } });
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      expect(server.last.frames('publish')).toEqual([]);
    });
  });

  describe('requests', () => {
    it('returns history, metadata, subscriptions, pong and context switch replies in SDK shapes', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const history = client.history({ types: ['a.*'], limit: 5 });
      const historyFrame = server.last.lastFrame('history');
      expect(historyFrame.query).toEqual({ types: ['a.*'], limit: 5 });
      server.last.reply(historyFrame, { type: 'history', events: [], next_cursor: 'c1' });
      await expect(history).resolves.toEqual({ events: [], next_cursor: 'c1' });

      const metadata = client.metadata();
      server.last.reply(server.last.lastFrame('get_metadata'), { type: 'metadata', data: { categories: [], filters: [] } });
      await expect(metadata).resolves.toEqual({ categories: [], filters: [] });

      const ping = client.ping();
      server.last.reply(server.last.lastFrame('ping'), { type: 'pong', server_time: '2026-01-01T00:00:00Z' });
      await expect(ping).resolves.toMatchObject({ serverTime: '2026-01-01T00:00:00Z' });

      const switched = client.contextSwitch('globex');
      expect(server.last.lastFrame('context_switch').org).toBe('globex');
      server.last.reply(server.last.lastFrame('context_switch'), { type: 'context_switched', from: 'acme', to: 'globex', context_type: 'organization' });
      await expect(switched).resolves.toEqual({ from: 'acme', to: 'globex', context_type: 'organization' });

      const list = client.listSubscriptions();
      server.last.reply(server.last.lastFrame('list_subscriptions'), { type: 'subscriptions', subscriptions: [] });
      await expect(list).resolves.toEqual([]);
    });

    it('holds a request made offline until connected, and times out counting the wait', async () => {
      const client = connect({ requestTimeoutMs: 1000 });
      const ping = client.ping();
      await settle();
      server.last.welcome();
      expect(server.last.frames('ping')).toHaveLength(1);
      const outcome = expect(ping).rejects.toMatchObject({ code: 'timeout' });
      await vi.advanceTimersByTimeAsync(1000);
      await outcome;
    });

    it('rejects a ping in flight with connection_lost when the connection drops', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const ping = client.ping();
      server.last.drop(1006);
      await expect(ping).rejects.toMatchObject({ code: 'connection_lost', closeCode: 1006 });
    });

    it('sends a read again on the next connection when its connection drops', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const history = client.history({ limit: 1 });
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      server.last.reply(server.last.lastFrame('history'), { type: 'history', events: [], next_cursor: null });
      await expect(history).resolves.toEqual({ events: [], next_cursor: null });
    });

    it('switches org again first thing after a reconnect, before resubscribing', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      client.subscribe({ types: ['x'] });
      const switched = client.contextSwitch('globex');
      server.last.reply(server.last.lastFrame('context_switch'), { type: 'context_switched', from: 'acme', to: 'globex', context_type: 'organization' });
      await switched;
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      expect(server.last.sent.slice(0, 2).map((f) => [f.action, f.org ?? f.subscription_id])).toEqual([
        ['context_switch', 'globex'],
        ['subscribe', 'sub_1'],
      ]);
    });
  });
});
