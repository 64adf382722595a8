import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { redisSkipReason } from '../../src/bus/redis-bus.contract-fixture.js';
import { postgresSkipReason } from '../../src/store/postgres-event-store.contract-fixture.js';
import { http, type TestClient } from '../helpers.js';
import { Deployment, type HeraldNode, checkDelivery, expectLogDelivered, until, publishHttp, subscribe } from './cluster-harness.js';

const skipReason = (await postgresSkipReason()) ?? (await redisSkipReason());

describe.skipIf(skipReason !== undefined)(`A node killed under load${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const deployment = new Deployment();
  let nodes: HeraldNode[];

  beforeAll(async () => {
    nodes = await deployment.add(3);
  }, 90_000);

  afterAll(async () => {
    await deployment.stop();
  });

  it('loses no acknowledged event and reuses no seq: the survivors deliver everything once, in order', async () => {
    onTestFailed(() => console.error(deployment.logTail()));
    const [a, victim, c] = nodes as [HeraldNode, HeraldNode, HeraldNode];
    const survivors: TestClient[] = [];
    for (const node of [a, a, c, c]) {
      const client = await deployment.connect(node);
      await subscribe(client, 'load.*');
      survivors.push(client);
    }
    const onVictim = await deployment.connect(victim);
    await subscribe(onVictim, 'load.*');

    const acked = new Map<string, number>();
    let isLoading = true;
    // Two publishers per node, each waiting for its acknowledgement before the next batch.
    const publishers = [a, a, victim, victim, c, c].map(async (node, p) => {
      for (let round = 0; isLoading && round < 2_000; round++) {
        const r = await publishHttp(
          node,
          Array.from({ length: 4 }, (_, i) => ({ type: 'load.tick', data: { p, round, i } })),
        ).catch(() => undefined);
        if (!r) return; // the node is gone
        for (const [id, seq] of r.acked) acked.set(id, seq);
      }
    });
    await until(() => acked.size >= 400);
    expect(await victim.kill('SIGKILL')).toBeNull();
    const atKill = acked.size;
    await until(() => acked.size >= atKill + 400);
    isLoading = false;
    await Promise.all(publishers);

    // Every acknowledged seq names one event.
    const stored = await expectLogDelivered(deployment, acked, survivors);
    // What the victim's subscriber got before it died was in the log too, in order.
    expect(checkDelivery(onVictim.events(), new Map(), stored)).toBeUndefined();
  });

  it('drops the killed node from GET /api/nodes on the survivors', async () => {
    onTestFailed(() => console.error(deployment.logTail()));
    await until(async () => {
      const r = await http(nodes[0]!, 'GET', '/api/nodes');
      return JSON.stringify(r.body.nodes.map((n: { node_id: string }) => n.node_id)) === '["node1","node3"]';
    }, 15_000);
    const listed = await http(nodes[2]!, 'GET', '/api/connections');
    expect(listed.body.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(['node1', 'node3']);
  });
});
