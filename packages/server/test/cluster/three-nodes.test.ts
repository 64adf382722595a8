import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { postgresSkipReason } from '../../src/store/postgres-event-store.contract-fixture.js';
import { redisSkipReason } from '../../src/bus/redis-bus.contract-fixture.js';
import { http } from '../helpers.js';
import { Deployment, type HeraldNode, checkDelivery, publishHttp, subscribe, until } from './cluster-harness.js';

const skipReason = (await postgresSkipReason()) ?? (await redisSkipReason());

describe.skipIf(skipReason !== undefined)(
  `Three Herald nodes on Redis and PostgreSQL${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    // node3 keeps only 16 events in memory, so a resume there reads most of what it missed from the store.
    const deployment = new Deployment({ envOf: { node3: { HERALD_REPLAY_BUFFER_EVENTS: '16' } } });
    let nodes: HeraldNode[];

    beforeAll(async () => {
      // All three start at the same moment on a fresh schema: the migrations take turns.
      nodes = await deployment.add(3);
    }, 90_000);

    afterAll(async () => {
      await deployment.stop();
    });

    it('delivers every acknowledged event to every matching subscriber on every node exactly once, in one seq order', async () => {
      onTestFailed(() => console.error(deployment.logTail()));
      // Two subscribers per node, one on every type and one on half of them.
      const all = await Promise.all(nodes.map((n) => deployment.connect(n)));
      const half = await Promise.all(nodes.map((n) => deployment.connect(n)));
      for (const c of all) await subscribe(c, 'spread.*');
      for (const c of half) await subscribe(c, 'spread.even');
      const acked = new Map<string, number>();
      const evenAcked = new Map<string, number>();
      const record = (events: Array<{ type: string }>, ids: string[], seqs: number[]) =>
        ids.forEach((id, i) => {
          acked.set(id, seqs[i]!);
          if (events[i]!.type === 'spread.even') evenAcked.set(id, seqs[i]!);
        });
      // Every node publishes at once, over HTTP and WebSocket, in batches.
      const publishers = nodes.map(async (node, n) => {
        const ws = await deployment.connect(node);
        for (let round = 0; round < 20; round++) {
          const events = Array.from({ length: 5 }, (_, i) => ({
            type: i % 2 === 0 ? 'spread.even' : 'spread.odd',
            data: { node: n, round, i },
          }));
          if (round % 2 === 0) {
            const r = await publishHttp(node, events);
            expect(r.status, JSON.stringify(r.body)).toBe(202);
            record(events, r.body.ids as string[], r.body.seqs as number[]);
          } else {
            const reply = await ws.request('publish', { events }, 10_000);
            expect(reply.type).toBe('published');
            record(events, reply.ids as string[], reply.seqs as number[]);
          }
        }
      });
      await Promise.all(publishers);
      expect(acked.size).toBe(300);
      expect(new Set(acked.values()).size).toBe(300);
      expect(evenAcked.size).toBe(180);
      await until(() => all.every((c) => c.events().length >= 300));
      const stored = await deployment.storedSeqs();
      for (const c of all) expect(checkDelivery(c.events(), acked, stored)).toBeUndefined();
      // The same seq for the same event everywhere, and the same order.
      const reference = all[0]!.events().map((e) => `${e.seq}:${e.id}`);
      for (const c of all) expect(c.events().map((e) => `${e.seq}:${e.id}`)).toEqual(reference);
      await until(() => half.every((c) => c.events().length >= evenAcked.size));
      for (const c of half) expect(checkDelivery(c.events(), evenAcked, stored)).toBeUndefined();
      for (const c of half) expect(c.events().every((e) => e.type === 'spread.even')).toBe(true);
    });

    it('lets a client that moves to another node resume with since, without gap or duplicate, from the store and memory', async () => {
      onTestFailed(() => console.error(deployment.logTail()));
      const acked = new Map<string, number>();
      let isPublishing = true;
      // Publishing goes on through the move, on every node.
      const load = (async () => {
        for (let round = 0; isPublishing && round < 400; round++) {
          const r = await publishHttp(nodes[round % 3]!, [{ type: 'move.tick', data: { round } }]);
          if (r.status === 202) for (const [id, seq] of r.acked) acked.set(id, seq);
        }
      })();
      const first = await deployment.connect(nodes[0]!);
      await subscribe(first, 'move.*');
      await until(() => first.events().length >= 20);
      first.close();
      await first.closed;
      const lastSeen = first.events().at(-1)!.seq as number;
      // Gone long enough for more than node3's memory to pass, then back elsewhere while events keep coming.
      await until(() => acked.size >= 60 && Math.max(...acked.values()) > lastSeen + 40);
      const second = await deployment.connect(nodes[2]!);
      await subscribe(second, 'move.*', lastSeen);
      await until(() => acked.size >= 100);
      isPublishing = false;
      await load;
      await until(() => second.events().at(-1)?.seq === Math.max(...acked.values()));
      const seen = [...first.events(), ...second.events()];
      const stored = await deployment.storedSeqs();
      const ackedFromStart = new Map([...acked].filter(([, seq]) => seq > (first.events()[0]!.seq as number)));
      expect(
        checkDelivery(
          seen.filter((e) => (e.seq as number) > (first.events()[0]!.seq as number)),
          ackedFromStart,
          stored,
        ),
      ).toBeUndefined();
      const marker = second.messages.find((m) => m.type === 'replayed');
      expect(marker).toMatchObject({ recovered: true });
    });

    it('lists the three nodes and every node’s connections on any node, and closes a connection from another node', async () => {
      onTestFailed(() => console.error(deployment.logTail()));
      for (const node of nodes) {
        const r = await http(node, 'GET', '/api/nodes');
        expect(r.status).toBe(200);
        expect(r.body.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['node1', 'node2', 'node3']);
        expect(r.body.self).toBe(node.name);
      }
      const far = await deployment.connect(nodes[2]!);
      const welcome = far.messages.find((m) => m.type === 'connected')!;
      const listed = await http(nodes[0]!, 'GET', '/api/connections');
      const entry = listed.body.connections.find((c: { client_id: string }) => c.client_id === welcome.client_id);
      expect(entry).toMatchObject({ node_id: 'node3', user: 'admin' });
      expect(listed.body.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['node1', 'node2', 'node3']);
      // Presence counts the admin's connections on all three nodes.
      const admin = listed.body.presence.users.find((u: { user: string }) => u.user === 'admin');
      expect(admin.connections).toBe(listed.body.count);
      const closed = await http(nodes[0]!, 'DELETE', `/api/connections/${welcome.client_id as string}`);
      expect(closed.status).toBe(202);
      expect(await far.closed).toBe(4503);
      expect((await http(nodes[1]!, 'DELETE', '/api/connections/c_nowhere')).status).toBe(404);
    });
  },
);
