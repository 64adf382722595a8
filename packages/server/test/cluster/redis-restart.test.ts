import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { redisSkipReason } from '../../src/bus/redis-bus.contract-fixture.js';
import { postgresSkipReason } from '../../src/store/postgres-event-store.contract-fixture.js';
import { http, type TestClient } from '../helpers.js';
import {
  Deployment,
  type HeraldNode,
  OwnRedis,
  expectLogDelivered,
  until,
  freePort,
  publishHttp,
  sleep,
  subscribe,
} from './cluster-harness.js';

const skipReason = (await postgresSkipReason()) ?? (await redisSkipReason());

describe.skipIf(skipReason !== undefined)(`Redis killed and restarted empty${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let redis: OwnRedis;
  let deployment: Deployment;
  let nodes: HeraldNode[];

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    deployment = new Deployment({ redisUrl: redis.url });
    nodes = await deployment.add(3);
  }, 90_000);

  afterAll(async () => {
    await deployment?.stop();
    await redis?.kill();
  });

  it('refuses publishes with 503 and Retry-After while Redis is down, then goes on above every seq ever taken', async () => {
    onTestFailed(() => console.error(deployment.logTail()));
    const subscribers: TestClient[] = [];
    for (const node of nodes) {
      const client = await deployment.connect(node);
      await subscribe(client, 'outage.*');
      subscribers.push(client);
    }
    const acked = new Map<string, number>();
    const refusals: Array<{ status: number; code: string; retryAfter: string | null }> = [];
    let isLoading = true;
    const publishers = nodes.map(async (node, p) => {
      for (let round = 0; isLoading && round < 5_000; round++) {
        const r = await publishHttp(node, [{ type: 'outage.tick', data: { p, round } }]);
        for (const [id, seq] of r.acked) acked.set(id, seq);
        if (r.status !== 202) {
          refusals.push({ status: r.status, code: r.body?.error?.code, retryAfter: r.retryAfter });
          await sleep(50);
        }
      }
    });
    await until(() => acked.size >= 100);
    await redis.kill();
    const highestBefore = Math.max(...acked.values());
    // Refused within about a second, with a reason and a time to come back.
    await until(() => refusals.length >= 3, 5_000);
    expect(refusals.every((r) => r.status === 503 && r.code === 'bus_unavailable' && r.retryAfter === '1')).toBe(true);
    // History still reads from the store meanwhile; each node still lists its own connections.
    expect((await http(nodes[1]!, 'GET', '/api/events/history?types=outage.*&limit=5')).status).toBe(200);
    expect((await http(nodes[1]!, 'GET', '/api/connections')).body.nodes).toEqual([{ node_id: 'node2', connections: 1 }]);
    const nodesDown = await http(nodes[1]!, 'GET', '/api/nodes');
    expect([nodesDown.status, nodesDown.body.error?.code]).toEqual([503, 'bus_unavailable']);
    const ackedDuringOutage = acked.size;
    await sleep(500);
    expect(acked.size - ackedDuringOutage).toBeLessThanOrEqual(nodes.length); // at most one publish per node was already past its seq
    await redis.start(); // empty: it keeps nothing on disk
    await until(() => [...acked.values()].some((seq) => seq > highestBefore + nodes.length), 20_000);
    const atReturn = acked.size;
    await until(() => acked.size >= atReturn + 100);
    isLoading = false;
    await Promise.all(publishers);

    await expectLogDelivered(deployment, acked, subscribers);
  });
});
