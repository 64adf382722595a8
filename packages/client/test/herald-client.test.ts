import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { useScriptedPeer } from './support/scripted-peer.js';
import { startTestServer } from '../../server/test/helpers.js';
import { eventFrame } from './support/scripted-server.js';
import type { StatusChange } from '../src/client-events.js';
import { HeraldConnectionError } from '../src/errors.js';
import { HeraldClient } from '../src/herald-client.js';

const BACKOFF_MS = 20;

const scripted = useScriptedPeer(BACKOFF_MS);
const { connect, cleanups } = scripted;

describe('HeraldClient', () => {
  describe('connecting', () => {
    it('sends the token in a first auth message, keeping it out of the URL', async () => {
      connect({ token: 'secret' });
      const conn = await scripted.peer.connection(0);
      await conn.frame('auth');
      expect(conn.path).toBe('/ws');
      expect(conn.received[0]).toEqual({ action: 'auth', token: 'secret' });
    });

    it('puts the token in the query when tokenTransport is "query", and reads http URLs as ws', async () => {
      // The scheme never reaches the server, so the URL is read where the client dials it.
      const dialled: string[] = [];
      class DiallingWebSocket extends WebSocket {
        constructor(url: string) {
          super(url);
          dialled.push(url);
        }
      }
      const client = connect({
        url: scripted.peer.url.replace(/^ws:/, 'http:'),
        token: 'secret',
        tokenTransport: 'query',
        WebSocket: DiallingWebSocket,
      });
      const conn = await scripted.peer.connection(0);
      expect(dialled).toEqual([`${scripted.peer.url}?token=secret`]);
      expect(conn.path).toBe('/ws?token=secret');
      conn.welcome();
      await client.ready();
      await conn.roundTrip(client);
      expect(conn.frames('auth')).toEqual([]);
    });

    it('reports each state change on the emitter and the status stream, and ready() resolves on open', async () => {
      const client = connect();
      const changes: StatusChange[] = [];
      client.on('status', (s) => changes.push(s));
      const stream = client.status();
      const ready = client.ready();
      const first = await scripted.peer.connection(0);
      first.welcome(7);
      await expect(ready).resolves.toBeUndefined();
      expect(client.welcome?.seq).toBe(7);
      first.close(4001, 'slow consumer');
      await scripted.peer.openSession(1, client);
      client.close();
      expect(changes.map((s) => s.state)).toEqual(['open', 'reconnecting', 'open', 'closed']);
      expect(changes[1]).toMatchObject({
        previous: 'open',
        attempt: 0,
        delayMs: BACKOFF_MS,
        closeCode: 4001,
        closeReason: 'slow consumer',
      });
      const streamed: string[] = [];
      for await (const s of stream) streamed.push(s.state);
      expect(streamed).toEqual(['open', 'reconnecting', 'open', 'closed']);
      expect(client.state).toBe('closed');
    });

    it.each([1001, 1006, 1011, 4000, 4002, 4499])('reconnects after close code %i', async (code) => {
      const client = connect();
      (await scripted.peer.openSession(0, client)).close(code);
      await scripted.peer.connection(1);
      expect(client.state).toBe('reconnecting');
    });

    it.each([1008, 4500, 4503, 4999])('closes for good after close code %i', async (code) => {
      const client = connect();
      const changes: string[] = [];
      client.on('status', (s) => changes.push(s.state));
      (await scripted.peer.openSession(0, client)).close(code, 'no');
      await vi.waitFor(() => expect(client.state).toBe('closed'));
      await expect(client.ready()).rejects.toMatchObject({ code: 'connection_closed', closeCode: code });
      // A retry is announced as 'reconnecting' before its wait; closing stops the loop for good.
      expect(changes).toEqual(['open', 'closed']);
      expect(scripted.peer.connections).toHaveLength(1);
    });

    it('fails ready() with the server reason when authentication is refused before the welcome', async () => {
      const client = connect({ token: 'bad' });
      const ready = client.ready();
      const conn = await scripted.peer.connection(0);
      await conn.frame('auth');
      conn.send({ type: 'error', code: 'unauthorized', message: 'invalid token' });
      conn.close(1008, 'authentication failed');
      await expect(ready).rejects.toThrow(/1008.*authentication failed; unauthorized: invalid token/);
      expect(client.state).toBe('closed');
    });

    it('keeps retrying while the server is unreachable, asking getToken before every try', async () => {
      let n = 0;
      const getToken = vi.fn(async () => `t${++n}`);
      scripted.peer.refuse(2);
      const client = connect({ getToken });
      const conn = await scripted.peer.connection(0);
      conn.welcome();
      await client.ready();
      expect(scripted.peer.refusedCount).toBe(2);
      expect(getToken).toHaveBeenCalledTimes(3);
      await conn.frame('auth');
      expect(conn.received[0]).toEqual({ action: 'auth', token: 't3' });
    });

    it('gives up after maxReconnectAttempts failed tries in a row', async () => {
      scripted.peer.refuse();
      const client = connect({ maxReconnectAttempts: 2 });
      await expect(client.ready()).rejects.toMatchObject({ code: 'connection_closed' });
      expect(scripted.peer.refusedCount).toBe(3);
      expect(client.state).toBe('closed');
    });

    it('retries when no welcome arrives within connectTimeoutMs', async () => {
      connect({ connectTimeoutMs: 200 });
      const first = await scripted.peer.connection(0);
      await expect(first.closed).resolves.toMatchObject({ isByServer: false });
      await scripted.peer.connection(1);
    });

    it('waits for connect() or ready() when autoConnect is false', async () => {
      const client = connect({ autoConnect: false });
      expect(client.state).toBe('closed');
      expect(scripted.peer.connections).toHaveLength(0);
      const ready = client.connect();
      (await scripted.peer.connection(0)).welcome();
      await expect(ready).resolves.toBeUndefined();
      expect(scripted.peer.connections).toHaveLength(1);
    });

    it('names every bad option at once, and says how to get a WebSocket in Node 20', () => {
      expect(() => new HeraldClient({ url: 'ftp://x', requestTimeoutMs: -1, WebSocket })).toThrow(
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
      const conn = await scripted.peer.openSession(0, client);
      conn.send({ type: 'error', code: 'token_expiring', message: 'soon', details: { expires_at: 'x' } });
      const auth = await conn.frame('auth', 1);
      expect(auth.token).toBe('new');
      expect(auth.id).toEqual(expect.any(Number));
      conn.reply(auth, { type: 'authenticated', user: { id: 'alice' } });
      expect(notices).toHaveBeenCalledWith(expect.objectContaining({ code: 'token_expiring' }));
    });

    it('retries the connect when getToken fails, reporting the failure', async () => {
      const server = await startTestServer();
      cleanups.push(() => server.close());
      const getToken = vi.fn().mockRejectedValueOnce(new Error('idp down')).mockResolvedValueOnce(server.adminToken);
      const client = connect({ url: server.wsUrl, getToken });
      const errors = vi.fn();
      client.on('error', errors);
      const changes: StatusChange[] = [];
      client.on('status', (s) => changes.push(s));
      await client.ready();
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ message: 'idp down' }));
      expect(changes.map((s) => s.state)).toEqual(['reconnecting', 'open']);
      expect(changes[0]?.error).toMatchObject({ code: 'token_unavailable' });
      expect(client.state).toBe('open');
    });
  });

  describe('close', () => {
    it('rejects what waits, finishes iterators, and refuses new work', async () => {
      const client = connect();
      const conn = await scripted.peer.openSession(0, client);
      const sub = client.subscribe({ types: ['x'] });
      const history = client.history();
      client.close();
      await expect(history).rejects.toMatchObject({ code: 'connection_closed' });
      await expect(conn.closed).resolves.toMatchObject({ code: 1000, isByServer: false });
      expect(await sub[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
      expect(() => client.subscribe({ types: ['x'] })).toThrow(HeraldConnectionError);
      await expect(client.publish({ type: 'x' })).rejects.toBeInstanceOf(HeraldConnectionError);
    });

    it('can reconnect on demand, resuming subscriptions', async () => {
      const client = connect();
      const first = await scripted.peer.openSession(0, client);
      const sub = client.subscribe({ types: ['x'] });
      await first.confirmSubscribe();
      first.send(eventFrame(4, [sub.id]));
      await vi.waitFor(() => expect(sub.lastSeq).toBe(4));
      client.reconnect();
      await expect(first.closed).resolves.toMatchObject({ code: 4000, isByServer: false });
      const second = await scripted.peer.connection(1);
      second.welcome();
      expect((await second.frame('subscribe')).since).toBe(4);
    });
  });
});
