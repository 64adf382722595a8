import { describe, expect, it } from 'vitest';
import { useScriptedPeer } from './support/scripted-peer.js';
import { startTestServer } from '../../server/test/helpers.js';
import { HeraldConnectionError, HeraldQueueFullError } from '../src/errors.js';

const scripted = useScriptedPeer(20);
const { connect, cleanups } = scripted;

const eventIds = (frame: Record<string, unknown>): string[] =>
  frame.event ? [(frame.event as { id: string }).id] : (frame.events as { id: string }[]).map((e) => e.id);

describe('HeraldClient', () => {
  describe('publish', () => {
    it('assigns ids, stamps the default source and resolves with the acknowledgement', async () => {
      const server = await startTestServer();
      cleanups.push(() => server.close());
      const client = connect({ url: server.wsUrl, token: server.adminToken, source: 'billing' });
      const result = await client.publish({ type: 'invoice.paid', data: { n: 1 } });
      expect(result.ids).toEqual([expect.stringMatching(/^[0-9A-Z]{26}$/)]);
      expect(result.seqs).toEqual([expect.any(Number)]);
      const { events } = await client.history({ types: ['invoice.*'] });
      expect(events).toEqual([expect.objectContaining({ id: result.ids[0], seq: result.seqs[0], source: 'billing', data: { n: 1 } })]);
    });

    it('queues while offline and sends in call order on connect, as single events and batches', async () => {
      const client = connect();
      const first = client.publish({ type: 'a', id: 'id-a' });
      const second = client.publish([
        { type: 'b', id: 'id-b' },
        { type: 'c', id: 'id-c' },
      ]);
      const conn = await scripted.peer.openSession(0, client);
      const frames = [await conn.frame('publish', 0), await conn.frame('publish', 1)];
      expect(frames.map(eventIds)).toEqual([['id-a'], ['id-b', 'id-c']]);
      conn.reply(frames[0]!, { type: 'published', ids: ['id-a'], seqs: [1] });
      conn.reply(frames[1]!, { type: 'published', ids: ['id-b', 'id-c'], seqs: [2, 3] });
      await expect(Promise.all([first, second])).resolves.toEqual([
        { ids: ['id-a'], seqs: [1] },
        { ids: ['id-b', 'id-c'], seqs: [2, 3] },
      ]);
    });

    it('resends a publish whose connection dropped before the ack, under the same id', async () => {
      const client = connect();
      const first = await scripted.peer.openSession(0, client);
      const result = client.publish({ type: 'a' });
      const { id } = (await first.frame('publish')).event as { id: string };
      first.terminate();
      const second = await scripted.peer.openSession(1, client);
      const resent = await second.frame('publish');
      expect(resent.event).toMatchObject({ id });
      second.reply(resent, { type: 'published', ids: [id], seqs: [9], duplicates: [id] });
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
      const first = await scripted.peer.openSession(0, client);
      const result = client.publish({ type: 'bad type' });
      first.reply(await first.frame('publish'), { type: 'error', code: 'invalid_event', message: 'bad', details: { path: 'type' } });
      await expect(result).rejects.toMatchObject({ code: 'invalid_event', details: { path: 'type' } });
      first.terminate();
      const second = await scripted.peer.openSession(1, client);
      // A resend would go out on open, ahead of this ping.
      await second.roundTrip(client);
      expect(second.frames('publish')).toEqual([]);
    });
  });

  describe('requests', () => {
    it('returns history, metadata, subscriptions, pong and context switch replies in SDK shapes', async () => {
      const client = connect();
      const conn = await scripted.peer.openSession(0, client);
      const history = client.history({ types: ['a.*'], limit: 5 });
      const historyFrame = await conn.frame('history');
      expect(historyFrame.query).toEqual({ types: ['a.*'], limit: 5 });
      conn.reply(historyFrame, { type: 'history', events: [], next_cursor: 'c1' });
      await expect(history).resolves.toEqual({ events: [], next_cursor: 'c1' });

      const metadata = client.metadata();
      conn.reply(await conn.frame('get_metadata'), { type: 'metadata', data: { categories: [], filters: [] } });
      await expect(metadata).resolves.toEqual({ categories: [], filters: [] });

      const ping = client.ping();
      conn.reply(await conn.frame('ping'), { type: 'pong', server_time: '2026-01-01T00:00:00Z' });
      await expect(ping).resolves.toMatchObject({ serverTime: '2026-01-01T00:00:00Z' });

      const switched = client.contextSwitch('globex');
      const switchFrame = await conn.frame('context_switch');
      expect(switchFrame.org).toBe('globex');
      conn.reply(switchFrame, { type: 'context_switched', from: 'acme', to: 'globex', context_type: 'organization' });
      await expect(switched).resolves.toEqual({ from: 'acme', to: 'globex', context_type: 'organization' });

      const list = client.listSubscriptions();
      conn.reply(await conn.frame('list_subscriptions'), { type: 'subscriptions', subscriptions: [] });
      await expect(list).resolves.toEqual([]);
    });

    it('holds a request made offline until connected, and times out counting the wait', async () => {
      const client = connect({ requestTimeoutMs: 300 });
      const ping = client.ping();
      const outcome = expect(ping).rejects.toMatchObject({ code: 'timeout' });
      const conn = await scripted.peer.openSession(0, client);
      await conn.frame('ping');
      await outcome;
      expect(conn.frames('ping')).toHaveLength(1);
    });

    it('rejects a ping in flight with connection_lost when the connection drops', async () => {
      const client = connect();
      const conn = await scripted.peer.openSession(0, client);
      const ping = client.ping();
      await conn.frame('ping');
      conn.terminate();
      await expect(ping).rejects.toMatchObject({ code: 'connection_lost', closeCode: 1006 });
    });

    it('sends a read again on the next connection when its connection drops', async () => {
      const client = connect();
      const first = await scripted.peer.openSession(0, client);
      const history = client.history({ limit: 1 });
      await first.frame('history');
      first.terminate();
      const second = await scripted.peer.openSession(1, client);
      second.reply(await second.frame('history'), { type: 'history', events: [], next_cursor: null });
      await expect(history).resolves.toEqual({ events: [], next_cursor: null });
    });

    it('switches org again first thing after a reconnect, before resubscribing', async () => {
      const client = connect();
      const first = await scripted.peer.openSession(0, client);
      client.subscribe({ types: ['x'] });
      const switched = client.contextSwitch('globex');
      first.reply(await first.frame('context_switch'), {
        type: 'context_switched',
        from: 'acme',
        to: 'globex',
        context_type: 'organization',
      });
      await switched;
      first.terminate();
      const second = await scripted.peer.openSession(1, client);
      // Frames arrive in the order sent, so both are in by the time the subscribe is.
      await second.frame('subscribe');
      expect(second.received.slice(0, 2).map((f) => [f.action, f.org ?? f.subscription_id])).toEqual([
        ['context_switch', 'globex'],
        ['subscribe', 'sub_1'],
      ]);
    });
  });
});
