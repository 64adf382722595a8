import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventFrame, FakeServer } from '../test/support/fake-websocket.js';
import { constantBackoff } from './backoff.js';
import { HeraldRequestError } from './errors.js';
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
  describe('subscribe', () => {
    it('resubscribes from the last seq after a drop and delivers each event once, in order', async () => {
      const client = connect();
      await settle();
      server.last.welcome(10);
      const sub = client.subscribe({ types: ['test.*'] });
      server.last.confirmSubscriptions();
      for (const seq of [11, 12]) server.last.push(eventFrame(seq, [sub.id]));
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome(14);
      expect(server.last.lastFrame('subscribe')).toMatchObject({ subscription_id: sub.id, since: 12 });
      server.last.confirmSubscriptions();
      for (const seq of [12, 13, 14]) server.last.push(eventFrame(seq, [sub.id], { replay: true }));
      server.last.push({ type: 'replayed', subscription_id: sub.id, count: 2, to_seq: 14, recovered: true });
      server.last.push(eventFrame(14, [sub.id]));
      server.last.push(eventFrame(15, [sub.id]));
      client.close();
      const seqs: number[] = [];
      for await (const event of sub) seqs.push(event.seq);
      expect(seqs).toEqual([11, 12, 13, 14, 15]);
      expect(sub.stats.duplicates).toBe(2);
    });

    it('resumes a live-only subscription that saw nothing from the seq known when it was confirmed', async () => {
      const client = connect();
      await settle();
      server.last.welcome(500);
      const sub = client.subscribe({ types: ['quiet.*'] });
      expect(server.last.lastFrame('subscribe')).not.toHaveProperty('since');
      server.last.confirmSubscriptions();
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome(520);
      expect(server.last.lastFrame('subscribe')).toMatchObject({ subscription_id: sub.id, since: 500 });
    });

    it('sends subscriptions made while offline once connected, and routes one frame to every listed subscription', async () => {
      const client = connect();
      const a = client.subscribe({ types: ['a.*'] });
      const b = client.subscribe({ types: ['*'], id: 'mine' });
      await settle();
      server.last.welcome();
      expect(server.last.frames('subscribe').map((f) => f.subscription_id)).toEqual([a.id, 'mine']);
      server.last.confirmSubscriptions();
      await expect(Promise.all([a.ready(), b.ready()])).resolves.toBeDefined();
      server.last.push(eventFrame(1, [a.id, 'mine']));
      expect([a.lastSeq, b.lastSeq]).toEqual([1, 1]);
    });

    it('ends a subscription the server refuses with the server error', async () => {
      const client = connect();
      const errors = vi.fn();
      client.on('error', errors);
      await settle();
      server.last.welcome();
      const sub = client.subscribe({ types: ['secret.*'] });
      server.last.reply(server.last.lastFrame('subscribe'), { type: 'error', code: 'forbidden', message: 'no subscribe:secret.*' });
      await expect(sub.ready()).rejects.toBeInstanceOf(HeraldRequestError);
      expect(sub.isClosed).toBe(true);
      expect(errors).toHaveBeenCalledTimes(1);
    });

    it('ends subscriptions the server drops after a token refresh narrowed the permissions', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const kept = client.subscribe({ types: ['a'] });
      const revoked = client.subscribe({ types: ['b'] });
      server.last.confirmSubscriptions();
      server.last.push({ type: 'unsubscribed', subscription_ids: [revoked.id], reason: 'permission' });
      expect(revoked.isClosed).toBe(true);
      expect(kept.isClosed).toBe(false);
      await expect(revoked[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'forbidden' });
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      expect(server.last.frames('subscribe').map((f) => f.subscription_id)).toEqual([kept.id]);
    });

    it('sends unsubscribe and stops delivering', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const sub = client.subscribe({ types: ['x'] });
      server.last.confirmSubscriptions();
      const done = sub.unsubscribe();
      const frame = server.last.lastFrame('unsubscribe');
      expect(frame.subscription_id).toBe(sub.id);
      server.last.reply(frame, { type: 'unsubscribed', subscription_ids: [sub.id] });
      await done;
      server.last.push(eventFrame(1, [sub.id]));
      expect(sub.stats.delivered).toBe(0);
    });

    it('reconnects when a resubscribe gets no answer', async () => {
      const client = connect({ requestTimeoutMs: 1000 });
      await settle();
      server.last.welcome();
      client.subscribe({ types: ['x'] });
      await vi.advanceTimersByTimeAsync(1000);
      expect(server.sockets[0]!.closedByClient?.code).toBe(4000);
      await vi.advanceTimersByTimeAsync(100);
      expect(server.sockets).toHaveLength(2);
    });
  });
});
