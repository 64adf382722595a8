import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  describe('enqueue', () => {
    it('commits the items of one event-loop turn as one batch', async () => {
      const batches: number[][] = [];
      const group = new GroupCommit<number>((items) => {
        batches.push([...items]);
        return items.map(() => undefined);
      });
      await Promise.all([group.enqueue(1), group.enqueue(2), group.enqueue(3)]);
      await group.enqueue(4);
      expect(batches).toEqual([[1, 2, 3], [4]]);
    });

    it('queues items that arrive during a commit for the next one', async () => {
      const batches: number[][] = [];
      let release!: () => void;
      const firstCommitHeld = new Promise<void>((resolve) => (release = resolve));
      const group = new GroupCommit<number>(async (items) => {
        batches.push([...items]);
        if (batches.length === 1) await firstCommitHeld;
        return items.map(() => undefined);
      });
      const first = group.enqueue(1);
      await new Promise((resolve) => setImmediate(resolve));
      const later = [group.enqueue(2), group.enqueue(3)];
      await new Promise((resolve) => setImmediate(resolve));
      release();
      await Promise.all([first, ...later]);
      expect(batches).toEqual([[1], [2, 3]]);
    });

    it('rejects only the items the commit reports as failed', async () => {
      const group = new GroupCommit<number>((items) => items.map((n) => (n === 2 ? new Error('taken') : undefined)));
      const results = await Promise.allSettled([group.enqueue(1), group.enqueue(2), group.enqueue(3)]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    });

    it('rejects every item of a batch whose commit throws, then commits later items', async () => {
      let isFailing = true;
      const group = new GroupCommit<number>((items) => {
        if (isFailing) throw new Error('disk full');
        return items.map(() => undefined);
      });
      const results = await Promise.allSettled([group.enqueue(1), group.enqueue(2)]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      isFailing = false;
      await expect(group.enqueue(3)).resolves.toBeUndefined();
    });

    it('commits an item enqueued right after an earlier commit settled', async () => {
      const group = new GroupCommit<number>((items) => items.map(() => undefined));
      const chained = group.enqueue(1).then(() => group.enqueue(2));
      await expect(chained).resolves.toBeUndefined();
    });
  });

  describe('drain', () => {
    it('commits queued items without waiting for the next turn', async () => {
      const committed: number[] = [];
      const group = new GroupCommit<number>((items) => {
        committed.push(...items);
        return items.map(() => undefined);
      });
      const pending = [group.enqueue(1), group.enqueue(2)];
      await group.drain();
      expect(committed).toEqual([1, 2]);
      expect(group.size).toBe(0);
      await Promise.all(pending);
    });
  });
});
