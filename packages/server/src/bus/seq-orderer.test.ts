import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeqOrderer } from './seq-orderer.js';

function collect(after = 0) {
  const out: Array<[number, string]> = [];
  const orderer = new SeqOrderer<string>(after, (seq, item) => out.push([seq, item]));
  return { orderer, out };
}

describe('SeqOrderer', () => {
  it('holds an event until the one before it arrives, then emits both in order', () => {
    const { orderer, out } = collect();
    orderer.offer(2, 'b');
    expect(out).toEqual([]);
    expect(orderer.gap).toEqual({ fromSeq: 1, toSeq: 1 });
    orderer.offer(1, 'a');
    expect(out).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(orderer.gap).toBeUndefined();
  });

  it('releases what waits behind a skipped seq, and never emits that seq later', () => {
    const { orderer, out } = collect(10);
    orderer.offer(13, 'c');
    expect(orderer.gap).toEqual({ fromSeq: 11, toSeq: 12 });
    orderer.skip(11, 12);
    orderer.offer(12, 'late');
    expect(out).toEqual([[13, 'c']]);
    expect(orderer.lastSeq).toBe(13);
  });

  it('drops repeats and seqs at or below the starting point', () => {
    const { orderer, out } = collect(5);
    orderer.offer(5, 'old');
    orderer.offer(6, 'a');
    orderer.offer(6, 'again');
    expect(out).toEqual([[6, 'a']]);
  });

  it('emits every offered seq once, ascending, whatever the arrival order and repeats', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 20 }),
        fc.infiniteStream(fc.nat()),
        (present, repeats, randomness) => {
          const { orderer, out } = collect();
          const arrivals = [...present, ...repeats.filter((s) => present.includes(s))];
          const order = arrivals.map((seq) => ({ seq, key: randomness.next().value })).sort((a, b) => a.key - b.key);
          for (const { seq } of order) orderer.offer(seq, `e${seq}`);
          // Whatever never arrived is given up as a gap, the way the bus closes gaps.
          for (let gap = orderer.gap; gap; gap = orderer.gap) orderer.skip(gap.fromSeq, gap.toSeq);
          const expected = [...present].sort((a, b) => a - b);
          expect(out.map(([seq]) => seq)).toEqual(expected);
          expect(out.every(([seq, item]) => item === `e${seq}`)).toBe(true);
        },
      ),
    );
  });
});
