import { describe, expect, it, vi } from 'vitest';
import { AsyncQueue } from './async-queue.js';

async function drain<T>(queue: AsyncQueue<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of queue) out.push(item);
  return out;
}

describe('AsyncQueue', () => {
  it('yields pushed items in order, then finishes after end()', async () => {
    const queue = new AsyncQueue<number>({ capacity: 10 });
    queue.push(1);
    queue.push(2);
    queue.end();
    expect(await drain(queue)).toEqual([1, 2]);
  });

  it('hands an item straight to a reader that is already waiting', async () => {
    const queue = new AsyncQueue<string>({ capacity: 0 });
    const next = queue.next();
    queue.push('a');
    expect(await next).toEqual({ value: 'a', done: false });
    expect(queue.droppedCount).toBe(0);
  });

  it('drops the oldest items past capacity and counts them', async () => {
    const queue = new AsyncQueue<number>({ capacity: 3 });
    for (let i = 1; i <= 10; i++) queue.push(i);
    expect(queue.size).toBe(3);
    expect(queue.droppedCount).toBe(7);
    queue.end();
    expect(await drain(queue)).toEqual([8, 9, 10]);
  });

  it('holds nothing with capacity 0 when no reader waits', () => {
    const queue = new AsyncQueue<number>({ capacity: 0 });
    queue.push(1);
    expect(queue.size).toBe(0);
    expect(queue.droppedCount).toBe(1);
  });

  it('keeps memory bounded when nobody reads a long stream', () => {
    const queue = new AsyncQueue<number>({ capacity: 100 });
    for (let i = 0; i < 100_000; i++) queue.push(i);
    expect(queue.size).toBe(100);
    expect(queue.droppedCount).toBe(99_900);
  });

  it('delivers buffered items before rejecting with the end error, once', async () => {
    const queue = new AsyncQueue<number>({ capacity: 5 });
    queue.push(1);
    queue.end(new Error('boom'));
    expect(await queue.next()).toEqual({ value: 1, done: false });
    await expect(queue.next()).rejects.toThrow('boom');
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('rejects a waiting reader when ended with an error', async () => {
    const queue = new AsyncQueue<number>({ capacity: 5 });
    const next = queue.next();
    queue.end(new Error('gone'));
    await expect(next).rejects.toThrow('gone');
  });

  it('calls onReturn when the reader breaks out, and ignores pushes afterwards', async () => {
    const onReturn = vi.fn();
    const queue = new AsyncQueue<number>({ capacity: 5, onReturn });
    queue.push(1);
    queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    expect(onReturn).toHaveBeenCalledTimes(1);
    queue.push(3);
    expect(queue.size).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('does not call onReturn for a queue that had already ended', async () => {
    const onReturn = vi.fn();
    const queue = new AsyncQueue<number>({ capacity: 5, onReturn });
    queue.end();
    await queue.return();
    expect(onReturn).not.toHaveBeenCalled();
  });
});
