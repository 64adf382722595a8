import type { HeraldEvent } from '@herald/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from './bus.js';

/** Buses of one deployment (one per node) and the store their gaps are settled from. */
export interface BusFixture {
  /** One bus per node of one deployment. */
  makeNodes(count: number, settle: (fromSeq: number, toSeq: number) => Promise<HeraldEvent[]>): Bus[];
  cleanup(): Promise<void>;
}

/** A stored event at `seq`, as the publisher makes it. */
export function busEvent(seq: number, type = 'bus.test'): HeraldEvent {
  return {
    id: `evt-${seq}`,
    seq,
    type,
    category: 'bus',
    source: 'test',
    time: new Date(1_700_000_000_000 + seq).toISOString(),
    severity: 'info',
    priority: 'normal',
    data: { seq },
  };
}

/** A store stand-in for settling: what it holds is returned, the rest is given up. */
function storeOf(events: HeraldEvent[]) {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  return async (fromSeq: number, toSeq: number) =>
    [...bySeq.values()].filter((e) => e.seq >= fromSeq && e.seq <= toSeq).sort((a, b) => a.seq - b.seq);
}

/** Resolves once `received` holds `count` seqs (or rejects after a bound, listing what came). */
async function waitForCount(received: number[], count: number, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (received.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${received.length}: ${received.join(',')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The {@link Bus} contract, run against each implementation in one line:
 * `describeBusContract('redis', () => makeRedisBusFixture())`.
 */
export function describeBusContract(name: string, makeFixture: () => Promise<BusFixture>, options: { isCluster: boolean }): void {
  describe(`Bus contract: ${name}`, () => {
    let fixture: BusFixture | undefined;
    const started: Bus[] = [];

    async function startNodes(count: number, stored: HeraldEvent[] = [], afterSeq = 0): Promise<Array<{ bus: Bus; seqs: number[] }>> {
      fixture = await makeFixture();
      const buses = fixture.makeNodes(count, storeOf(stored));
      const nodes = buses.map((bus) => ({ bus, seqs: [] as number[] }));
      for (const node of nodes) {
        await node.bus.start((event, json) => {
          expect(JSON.parse(json)).toEqual(event);
          node.seqs.push(event.seq);
        }, afterSeq);
        started.push(node.bus);
      }
      return nodes;
    }

    afterEach(async () => {
      for (const bus of started.splice(0)) await bus.stop();
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('delivers each published event once, in seq order, with its JSON', async () => {
      const [node] = await startNodes(1);
      for (let seq = 1; seq <= 50; seq++) node!.bus.publish(busEvent(seq), JSON.stringify(busEvent(seq)));
      await waitForCount(node!.seqs, 50);
      expect(node!.seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(node!.bus.deliveredSeq).toBe(50);
    });

    it('starts after the seq it is given and drops a repeat of a delivered seq', async () => {
      const [node] = await startNodes(1, [], 10);
      for (const seq of [9, 10, 11, 11, 12]) node!.bus.publish(busEvent(seq), JSON.stringify(busEvent(seq)));
      node!.bus.publish(busEvent(13), JSON.stringify(busEvent(13)));
      await waitForCount(node!.seqs, 3);
      expect(node!.seqs).toEqual([11, 12, 13]);
    });

    it('skips an abandoned seq and delivers what follows without waiting for it', async () => {
      const [node] = await startNodes(1);
      node!.bus.publish(busEvent(1), JSON.stringify(busEvent(1)));
      node!.bus.abandon([2, 3]);
      node!.bus.publish(busEvent(4), JSON.stringify(busEvent(4)));
      await waitForCount(node!.seqs, 2);
      expect(node!.seqs).toEqual([1, 4]);
    });

    // What only a bus shared by several nodes can meet: gaps and other nodes' publishes.
    if (!options.isCluster) return;

    it('settles a seq that never comes from the store: delivered when stored, else skipped for good', async () => {
      // Seq 2 is stored but its publish was lost; seq 3 was taken by a node that died.
      const [node] = await startNodes(1, [busEvent(2)]);
      node!.bus.publish(busEvent(1), JSON.stringify(busEvent(1)));
      node!.bus.publish(busEvent(4), JSON.stringify(busEvent(4)));
      await waitForCount(node!.seqs, 3);
      node!.bus.publish(busEvent(3), JSON.stringify(busEvent(3)));
      node!.bus.publish(busEvent(5), JSON.stringify(busEvent(5)));
      await waitForCount(node!.seqs, 4);
      expect(node!.seqs).toEqual([1, 2, 4, 5]);
    });

    it('delivers every node’s events to every node in one seq order, whatever order they were published in', async () => {
      const nodes = await startNodes(3);
      const seqs = Array.from({ length: 300 }, (_, i) => i + 1);
      // Each node publishes its own seqs in order, one node after the other: the bus sees 3, 6, … before 1.
      nodes.forEach((node, i) => {
        for (const seq of seqs) if (seq % 3 === (i + 1) % 3) node.bus.publish(busEvent(seq), JSON.stringify(busEvent(seq)));
      });
      for (const node of nodes) {
        await waitForCount(node.seqs, 300);
        expect(node.seqs).toEqual(seqs);
      }
    });
  });
}
