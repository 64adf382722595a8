import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_POSTGRES_URL, dropSchema, postgresSkipReason, randomSchemaName } from '../src/store/postgres-event-store.contract-fixture.js';
import { eventually, http } from './helpers.js';
import { HeraldProcess } from './herald-process.js';
import { WebhookReceiver } from './webhook-receiver.js';

const skipReason = await postgresSkipReason();
const SECRET = 'whsec_cluster_secret_0123456789';

describe.skipIf(skipReason !== undefined)(`webhooks on two nodes sharing PostgreSQL${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const cleanups: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('sends each event once from one node at a time, and the other takes over when the holder is killed mid-delivery', async () => {
    const schema = randomSchemaName();
    cleanups.push(() => dropSchema(schema));
    const script = new Map<number, Array<number | 'hang'>>([[5, ['hang']]]);
    const receiver = await WebhookReceiver.start(({ json }) => script.get((json.data as { n: number }).n)?.shift() ?? 200);
    cleanups.push(() => receiver.close());
    const nodeEnv = () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'herald-webhook-node-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      return {
        HERALD_DATA_DIR: dataDir,
        HERALD_STORE: `${TEST_POSTGRES_URL}?schema=${schema}`,
        HERALD_WEBHOOKS_ALLOW_PRIVATE: 'true',
        HERALD_WEBHOOK_RETRY_BASE_MS: '20',
        HERALD_WEBHOOK_POLL_INTERVAL_MS: '50',
        HERALD_WEBHOOK_LEASE_MS: '300',
      };
    };
    const nodes = await Promise.all([HeraldProcess.start(nodeEnv()), HeraldProcess.start(nodeEnv())]);
    for (const node of nodes) cleanups.push(() => node.kill());
    const [publisher] = nodes;

    const created = await http(publisher!, 'POST', '/api/webhooks', { url: receiver.url, event_types: ['job.*'], secret: SECRET, timeoutMs: 2_000 });
    expect(created.status).toBe(201);
    // Both nodes know the webhook before events flow, so both contend for it.
    await eventually(async () => (await http(nodes[1]!, 'GET', '/api/webhooks')).body.webhooks.length === 1);
    // One node publishes: with the in-memory bus each node sequences on its own.
    const res = await http(publisher!, 'POST', '/api/events', { events: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ type: 'job.done', data: { n } })) });
    await eventually(() => receiver.requests.some((r) => r.answer === 'hang'), 10_000);

    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    const { rows } = await client.query<{ holder: string }>(`SELECT holder FROM "${schema}".webhook_leases WHERE webhook_id = $1`, [created.body.id]);
    await client.end();
    const holder = nodes.find((node) => rows[0]?.holder.includes(`-${node.pid}-`));
    expect(holder).toBeDefined();
    await holder!.kill();

    await eventually(() => receiver.accepted.length >= 8, 15_000);
    expect(receiver.acceptedSeqs()).toEqual(res.body.seqs);
    expect(receiver.requests.map((r) => (r.json.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 5, 6, 7, 8]);
    expect(receiver.allSigned(SECRET)).toBe(true);
  });
});
