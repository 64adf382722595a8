import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeraldEvent } from '@herald/protocol';
import { InOrderDelivery, type PendingBatch, pendingBatch } from './in-order-delivery.js';

const batchOf = (seq: number): PendingBatch => pendingBatch([{ seq } as HeraldEvent], ['{}']);

describe('InOrderDelivery', () => {
  it('delivers every batch once, in seq order, whatever order their commits finish in', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }))),
        ([n, commitOrder]) => {
          const delivered: number[] = [];
          const delivery = new InOrderDelivery((b) => delivered.push(b.events[0]!.seq));
          const batches = Array.from({ length: n }, (_, i) => batchOf(i + 1));
          for (const b of batches) delivery.add(b);
          for (const i of commitOrder) {
            delivery.markDurable(batches[i]!);
            // Only a prefix is ever delivered: nothing passes a batch still being written.
            expect(delivered).toEqual(Array.from({ length: delivered.length }, (_, k) => k + 1));
          }
          expect(delivered).toEqual(batches.map((_, i) => i + 1));
          expect(delivery.size).toBe(0);
        },
      ),
    );
  });

  it('holds every batch behind a held one until it is durable', () => {
    const delivered: number[] = [];
    const delivery = new InOrderDelivery((b) => delivered.push(b.events[0]!.seq));
    const [a, b, c] = [batchOf(1), batchOf(2), batchOf(3)];
    for (const x of [a, b, c]) delivery.add(x);
    delivery.markDurable(a);
    b.state = 'held';
    delivery.markDurable(c);
    expect(delivered).toEqual([1]);
    expect(delivery.undelivered()).toEqual([b, c]);
    delivery.markDurable(b);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('lets the batches behind a removed one go on', () => {
    const delivered: number[] = [];
    const delivery = new InOrderDelivery((b) => delivered.push(b.events[0]!.seq));
    const [a, b] = [batchOf(1), batchOf(2)];
    delivery.add(a);
    delivery.add(b);
    delivery.markDurable(b);
    delivery.remove(a);
    expect(delivered).toEqual([2]);
  });
});
