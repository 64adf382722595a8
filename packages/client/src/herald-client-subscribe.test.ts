import { describe, expect, it, vi } from 'vitest';
import { useScriptedPeer } from '../test/support/scripted-peer.js';
import { eventFrame } from '../test/support/scripted-server.js';
import { HeraldRequestError } from './errors.js';

const scripted = useScriptedPeer(20);
const { connect } = scripted;

describe('HeraldClient', () => {
  describe('subscribe', () => {
    it('resubscribes from the last seq after a drop and delivers each event once, in order', async () => {
      const client = connect();
      const first = await scripted.peer.openSession(0, client, 10);
      const sub = client.subscribe({ types: ['test.*'] });
      await first.confirmSubscribe();
      for (const seq of [11, 12]) first.send(eventFrame(seq, [sub.id]));
      await vi.waitFor(() => expect(sub.lastSeq).toBe(12));
      first.terminate();
      const second = await scripted.peer.openSession(1, client, 14);
      expect(await second.confirmSubscribe()).toMatchObject({ subscription_id: sub.id, since: 12 });
      for (const seq of [12, 13, 14]) second.send(eventFrame(seq, [sub.id], { replay: true }));
      second.send({ type: 'replayed', subscription_id: sub.id, count: 2, to_seq: 14, recovered: true });
      second.send(eventFrame(14, [sub.id]));
      second.send(eventFrame(15, [sub.id]));
      await second.roundTrip(client);
      client.close();
      const seqs: number[] = [];
      for await (const event of sub) seqs.push(event.seq);
      expect(seqs).toEqual([11, 12, 13, 14, 15]);
      expect(sub.stats.duplicates).toBe(2);
    });

    it('resumes a live-only subscription that saw nothing from the seq known when it was confirmed', async () => {
      const client = connect();
      const first = await scripted.peer.openSession(0, client, 500);
      const sub = client.subscribe({ types: ['quiet.*'] });
      expect(await first.confirmSubscribe()).not.toHaveProperty('since');
      await sub.ready();
      first.terminate();
      const second = await scripted.peer.openSession(1, client, 520);
      expect(await second.frame('subscribe')).toMatchObject({ subscription_id: sub.id, since: 500 });
    });

    it('sends subscriptions made while offline once connected, and routes one frame to every listed subscription', async () => {
      const client = connect();
      const a = client.subscribe({ types: ['a.*'] });
      const b = client.subscribe({ types: ['*'], id: 'mine' });
      const conn = await scripted.peer.openSession(0, client);
      const frames = [await conn.confirmSubscribe(0), await conn.confirmSubscribe(1)];
      expect(frames.map((f) => f.subscription_id)).toEqual([a.id, 'mine']);
      await expect(Promise.all([a.ready(), b.ready()])).resolves.toBeDefined();
      conn.send(eventFrame(1, [a.id, 'mine']));
      await conn.roundTrip(client);
      expect([a.lastSeq, b.lastSeq]).toEqual([1, 1]);
    });

    it('ends a subscription the server refuses with the server error', async () => {
      const client = connect();
      const errors = vi.fn();
      client.on('error', errors);
      const conn = await scripted.peer.openSession(0, client);
      const sub = client.subscribe({ types: ['secret.*'] });
      conn.reply(await conn.frame('subscribe'), { type: 'error', code: 'forbidden', message: 'no subscribe:secret.*' });
      await expect(sub.ready()).rejects.toBeInstanceOf(HeraldRequestError);
      expect(sub.isClosed).toBe(true);
      expect(errors).toHaveBeenCalledTimes(1);
    });

    it('ends subscriptions the server drops after a token refresh narrowed the permissions', async () => {
      const client = connect();
      const first = await scripted.peer.openSession(0, client);
      const kept = client.subscribe({ types: ['a'] });
      const revoked = client.subscribe({ types: ['b'] });
      await first.confirmSubscribe(0);
      await first.confirmSubscribe(1);
      first.send({ type: 'unsubscribed', subscription_ids: [revoked.id], reason: 'permission' });
      await first.roundTrip(client);
      expect(revoked.isClosed).toBe(true);
      expect(kept.isClosed).toBe(false);
      await expect(revoked[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'forbidden' });
      first.terminate();
      const second = await scripted.peer.openSession(1, client);
      // Resubscriptions go out on open, ahead of this ping.
      await second.roundTrip(client);
      expect(second.frames('subscribe').map((f) => f.subscription_id)).toEqual([kept.id]);
    });

    it('sends unsubscribe and stops delivering', async () => {
      const client = connect();
      const conn = await scripted.peer.openSession(0, client);
      const sub = client.subscribe({ types: ['x'] });
      await conn.confirmSubscribe();
      const done = sub.unsubscribe();
      const frame = await conn.frame('unsubscribe');
      expect(frame.subscription_id).toBe(sub.id);
      conn.reply(frame, { type: 'unsubscribed', subscription_ids: [sub.id] });
      await done;
      conn.send(eventFrame(1, [sub.id]));
      await conn.roundTrip(client);
      expect(sub.stats.delivered).toBe(0);
    });

    it('reconnects when a resubscribe gets no answer', async () => {
      const client = connect({ requestTimeoutMs: 300 });
      const first = await scripted.peer.openSession(0, client);
      client.subscribe({ types: ['x'] });
      await first.frame('subscribe');
      await expect(first.closed).resolves.toMatchObject({ code: 4000, isByServer: false });
      await scripted.peer.connection(1);
    });
  });
});
