import type { HeraldEvent } from '@herald/protocol';

/**
 * What a store shared by several nodes offers so that a gap in the global
 * seq order can be closed for good.
 *
 * Contract of `settle(fromSeq, toSeq)`: for every seq in the range, decides
 * its fate once and for all nodes: either an event is stored at it (an
 * append in flight is waited for) and it is returned, or no event will ever
 * be stored at it (a later append of that seq fails). Resolves to the stored
 * events of the range, ascending.
 */
export interface SeqFence {
  settle(fromSeq: number, toSeq: number): Promise<HeraldEvent[]>;
}

/** True when the store can settle seqs (the stores a cluster shares). */
export function isSeqFence(store: object): store is SeqFence {
  return typeof (store as Partial<SeqFence>).settle === 'function';
}
