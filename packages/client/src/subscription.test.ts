import type { HeraldEvent } from '@herald/protocol';
import { describe, expect, it, vi } from 'vitest';
import { Subscription, type SubscribeOptions } from './subscription.js';

const event = (seq: number): HeraldEvent => ({
  id: `e${seq}`,
  seq,
  type: 'test.event',
  category: 'test',
  source: 'unit',
  time: '2026-01-01T00:00:00.000Z',
  severity: 'info',
  priority: 'normal',
  data: {},
});

function make(options: Partial<SubscribeOptions> = {}, bufferSize = 100) {
  const owner = { unsubscribe: vi.fn(async () => {}) };
  const sub = new Subscription(owner, 'sub_1', { types: ['test.*'], ...options }, bufferSize);
  return { sub, owner };
}

const info = { subscription_id: 'sub_1', event_types: ['test.*'], filters: {} };

describe('Subscription', () => {
  describe('delivery', () => {
    it('delivers each seq once, dropping repeats and older seqs as duplicates', () => {
      const { sub } = make();
      const seen: number[] = [];
      sub.on('event', (e) => seen.push(e.seq));
      for (const seq of [1, 2, 2, 1, 3, 3]) sub.handleEvent(event(seq), false);
      expect(seen).toEqual([1, 2, 3]);
      expect(sub.stats).toEqual({ delivered: 3, duplicates: 3, dropped: 0 });
      expect(sub.lastSeq).toBe(3);
    });

    it('feeds the async iterator and the emitter with the same events', async () => {
      const { sub } = make();
      const replays: boolean[] = [];
      sub.on('event', (_e, meta) => replays.push(meta.isReplay));
      sub.handleEvent(event(5), true);
      sub.handleEvent(event(6), false);
      const iterator = sub[Symbol.asyncIterator]();
      expect((await iterator.next()).value?.seq).toBe(5);
      expect((await iterator.next()).value?.seq).toBe(6);
      expect(replays).toEqual([true, false]);
    });

    it('caps what it holds for a reader that lags at bufferSize, dropping the oldest', async () => {
      const { sub } = make({ bufferSize: 2 });
      for (let seq = 1; seq <= 5; seq++) sub.handleEvent(event(seq), false);
      expect(sub.stats.dropped).toBe(3);
      const iterator = sub[Symbol.asyncIterator]();
      expect((await iterator.next()).value?.seq).toBe(4);
    });
  });

  describe('resuming', () => {
    it('asks for its own since until it has delivered something, then for the last seq delivered', () => {
      const { sub } = make({ since: '2026-01-01T00:00:00Z', filters: { severity: ['error'] } });
      expect(sub.subscribeFrame()).toEqual({
        action: 'subscribe',
        subscription_id: 'sub_1',
        event_types: ['test.*'],
        filters: { severity: ['error'] },
        since: '2026-01-01T00:00:00Z',
      });
      sub.handleEvent(event(41), true);
      expect(sub.subscribeFrame().since).toBe(41);
    });

    it('takes the seq known at confirmation as the resume point of a live-only subscription', () => {
      const { sub } = make();
      expect(sub.subscribeFrame()).not.toHaveProperty('since');
      sub.handleSubscribed(info, 900);
      expect(sub.subscribeFrame().since).toBe(900);
      sub.handleEvent(event(900), false);
      expect(sub.stats.duplicates).toBe(1);
    });

    it('keeps a replaying subscription on its own since when it has delivered nothing yet', () => {
      const { sub } = make({ since: 'earliest' });
      sub.handleSubscribed(info, 900);
      expect(sub.subscribeFrame().since).toBe('earliest');
    });

    it('reports a replay that could not reach back far enough as a gap', () => {
      const { sub } = make({ since: 3 });
      const gap = vi.fn();
      const replayed = vi.fn();
      sub.on('gap', gap);
      sub.on('replayed', replayed);
      const marker = { subscription_id: 'sub_1', count: 10, to_seq: 60, recovered: false, earliest_seq: 50 };
      sub.handleReplayed(marker);
      sub.handleReplayed({ ...marker, recovered: true });
      expect(replayed).toHaveBeenCalledTimes(2);
      expect(gap).toHaveBeenCalledExactlyOnceWith(marker);
    });
  });

  describe('ending', () => {
    it('resolves ready() on the first confirmation', async () => {
      const { sub } = make();
      sub.handleSubscribed(info, 0);
      await expect(sub.ready()).resolves.toBeUndefined();
    });

    it('unsubscribes through its owner once, and finishes the iterator', async () => {
      const { sub, owner } = make();
      const closed = vi.fn();
      sub.on('closed', closed);
      await sub.unsubscribe();
      await sub.unsubscribe();
      expect(owner.unsubscribe).toHaveBeenCalledTimes(1);
      expect(closed).toHaveBeenCalledExactlyOnceWith(undefined);
      expect(await sub[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
      await expect(sub.ready()).rejects.toThrow(/ended before/);
    });

    it('unsubscribes when the reader leaves a for-await loop early', async () => {
      const { sub, owner } = make();
      sub.handleEvent(event(1), false);
      sub.handleEvent(event(2), false);
      for await (const e of sub) {
        expect(e.seq).toBe(1);
        break;
      }
      expect(owner.unsubscribe).toHaveBeenCalledTimes(1);
      expect(sub.isClosed).toBe(true);
    });

    it('throws the ending error from the iterator after the events it holds', async () => {
      const { sub } = make();
      sub.handleEvent(event(1), false);
      sub.end(new Error('forbidden'));
      const seen: number[] = [];
      await expect(
        (async () => {
          for await (const e of sub) seen.push(e.seq);
        })(),
      ).rejects.toThrow('forbidden');
      expect(seen).toEqual([1]);
      await expect(sub.ready()).rejects.toThrow('forbidden');
    });

    it('ignores frames that arrive after it ended', () => {
      const { sub } = make();
      const listener = vi.fn();
      sub.on('event', listener);
      sub.end(undefined);
      sub.handleEvent(event(1), false);
      sub.handleSubscribed(info, 5);
      expect(listener).not.toHaveBeenCalled();
    });
  });
});
