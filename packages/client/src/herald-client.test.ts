import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventFrame, FakeServer } from '../test/support/fake-websocket.js';
import { constantBackoff } from './backoff.js';
import type { StatusChange } from './client-events.js';
import { HeraldConnectionError, HeraldQueueFullError, HeraldRequestError } from './errors.js';
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
  describe('connecting', () => {
    it('sends the token in a first auth message, keeping it out of the URL', async () => {
      connect({ token: 'secret' });
      await settle();
      server.last.welcome();
      expect(server.last.url).toBe('ws://herald.test/ws');
      expect(server.last.sent[0]).toEqual({ action: 'auth', token: 'secret' });
    });

    it('puts the token in the query when tokenTransport is "query", and reads http URLs as ws', async () => {
      connect({ url: 'http://herald.test/ws', token: 'secret', tokenTransport: 'query' });
      await settle();
      expect(server.last.url).toBe('ws://herald.test/ws?token=secret');
      server.last.welcome();
      expect(server.last.frames('auth')).toEqual([]);
    });

    it('reports each state change on the emitter and the status stream, and ready() resolves on open', async () => {
      const client = connect();
      const changes: StatusChange[] = [];
      client.on('status', (s) => changes.push(s));
      const stream = client.status();
      const ready = client.ready();
      await settle();
      server.last.welcome(7);
      await expect(ready).resolves.toBeUndefined();
      expect(client.welcome?.seq).toBe(7);
      server.last.drop(4001, 'slow consumer');
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      client.close();
      expect(changes.map((s) => s.state)).toEqual(['open', 'reconnecting', 'open', 'closed']);
      expect(changes[1]).toMatchObject({ previous: 'open', attempt: 0, delayMs: 100, closeCode: 4001, closeReason: 'slow consumer' });
      const streamed: string[] = [];
      for await (const s of stream) streamed.push(s.state);
      expect(streamed).toEqual(['open', 'reconnecting', 'open', 'closed']);
      expect(client.state).toBe('closed');
    });

    it.each([1001, 1006, 1011, 4000, 4002, 4499])('reconnects after close code %i', async (code) => {
      const client = connect();
      await settle();
      server.last.welcome();
      server.last.drop(code);
      expect(client.state).toBe('reconnecting');
      await vi.advanceTimersByTimeAsync(100);
      expect(server.sockets).toHaveLength(2);
    });

    it.each([1008, 4500, 4503, 4999])('closes for good after close code %i', async (code) => {
      const client = connect();
      await settle();
      server.last.welcome();
      server.last.drop(code, 'no');
      expect(client.state).toBe('closed');
      await expect(client.ready()).rejects.toMatchObject({ code: 'connection_closed', closeCode: code });
      await vi.advanceTimersByTimeAsync(10_000);
      expect(server.sockets).toHaveLength(1);
    });

    it('fails ready() with the server reason when authentication is refused before the welcome', async () => {
      const client = connect({ token: 'bad' });
      const ready = client.ready();
      await settle();
      server.last.push({ type: 'error', code: 'unauthorized', message: 'invalid token' });
      server.last.drop(1008, 'authentication failed');
      await expect(ready).rejects.toThrow(/1008.*authentication failed; unauthorized: invalid token/);
      expect(client.state).toBe('closed');
    });

    it('keeps retrying while the server is unreachable, asking getToken before every try', async () => {
      let n = 0;
      const getToken = vi.fn(async () => `t${++n}`);
      connect({ getToken });
      await settle();
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.drop(1006);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      expect(getToken).toHaveBeenCalledTimes(3);
      expect(server.last.sent[0]).toEqual({ action: 'auth', token: 't3' });
    });

    it('gives up after maxReconnectAttempts failed tries in a row', async () => {
      const client = connect({ maxReconnectAttempts: 2 });
      await settle();
      for (let i = 0; i < 3; i++) {
        server.last.drop(1006);
        await vi.advanceTimersByTimeAsync(100);
      }
      expect(server.sockets).toHaveLength(3);
      expect(client.state).toBe('closed');
    });

    it('retries when no welcome arrives within connectTimeoutMs', async () => {
      connect({ connectTimeoutMs: 500 });
      await settle();
      await vi.advanceTimersByTimeAsync(500);
      expect(server.sockets[0]!.closedByClient).toBeDefined();
      await vi.advanceTimersByTimeAsync(100);
      expect(server.sockets).toHaveLength(2);
    });

    it('waits for connect() or ready() when autoConnect is false', async () => {
      const client = connect({ autoConnect: false });
      await settle();
      expect(server.sockets).toHaveLength(0);
      expect(client.state).toBe('closed');
      const ready = client.connect();
      await settle();
      server.last.welcome();
      await expect(ready).resolves.toBeUndefined();
    });

    it('names every bad option at once, and says how to get a WebSocket in Node 20', () => {
      expect(() => new HeraldClient({ url: 'ftp://x', requestTimeoutMs: -1, WebSocket: server.WebSocket })).toThrow(
        /url must be .*; requestTimeoutMs must be a positive number/,
      );
      expect(() => new HeraldClient({ url: 'ws://x' })).toThrow(/WebSocket: \(await import\('ws'\)\)\.default/);
    });
  });

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

  describe('tokens', () => {
    it('fetches a fresh token on a token_expiring notice and sends it in an auth message', async () => {
      const getToken = vi.fn().mockResolvedValueOnce('old').mockResolvedValueOnce('new');
      const client = connect({ getToken });
      const notices = vi.fn();
      client.on('notice', notices);
      await settle();
      server.last.welcome();
      server.last.push({ type: 'error', code: 'token_expiring', message: 'soon', details: { expires_at: 'x' } });
      await settle();
      const auth = server.last.lastFrame('auth');
      expect(auth.token).toBe('new');
      expect(auth.id).toEqual(expect.any(Number));
      server.last.reply(auth, { type: 'authenticated', user: { id: 'alice' } });
      expect(notices).toHaveBeenCalledWith(expect.objectContaining({ code: 'token_expiring' }));
    });

    it('retries the connect when getToken fails, reporting the failure', async () => {
      const getToken = vi.fn().mockRejectedValueOnce(new Error('idp down')).mockResolvedValueOnce('t');
      const client = connect({ getToken });
      const errors = vi.fn();
      client.on('error', errors);
      await settle();
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ message: 'idp down' }));
      expect(client.state).toBe('reconnecting');
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      expect(client.state).toBe('open');
    });
  });

  describe('close', () => {
    it('rejects what waits, finishes iterators, and refuses new work', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const sub = client.subscribe({ types: ['x'] });
      const history = client.history();
      client.close();
      expect(server.last.closedByClient?.code).toBe(1000);
      await expect(history).rejects.toMatchObject({ code: 'connection_closed' });
      expect(await sub[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
      expect(() => client.subscribe({ types: ['x'] })).toThrow(HeraldConnectionError);
      await expect(client.publish({ type: 'x' })).rejects.toBeInstanceOf(HeraldConnectionError);
    });

    it('can reconnect on demand, resuming subscriptions', async () => {
      const client = connect();
      await settle();
      server.last.welcome();
      const sub = client.subscribe({ types: ['x'] });
      server.last.confirmSubscriptions();
      server.last.push(eventFrame(4, [sub.id]));
      client.reconnect();
      expect(server.sockets[0]!.closedByClient?.code).toBe(4000);
      await vi.advanceTimersByTimeAsync(100);
      server.last.welcome();
      expect(server.last.lastFrame('subscribe').since).toBe(4);
    });
  });
});
