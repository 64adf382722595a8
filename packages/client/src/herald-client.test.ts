import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventFrame, FakeServer } from '../test/support/fake-websocket.js';
import { constantBackoff } from './backoff.js';
import type { StatusChange } from './client-events.js';
import { HeraldConnectionError } from './errors.js';
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
      vi.stubGlobal('WebSocket', undefined);
      try {
        expect(() => new HeraldClient({ url: 'ws://x' })).toThrow(/WebSocket: \(await import\('ws'\)\)\.default/);
      } finally {
        vi.unstubAllGlobals();
      }
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
