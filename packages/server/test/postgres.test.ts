import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_POSTGRES_URL, dropSchema, postgresSkipReason, randomSchemaName } from '../src/store/postgres-event-store.contract-fixture.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const skipReason = await postgresSkipReason();

/** The store URL with a `schema` parameter, which the PostgreSQL store reads to keep each test's tables apart. */
function storeUrl(schema: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

describe.skipIf(skipReason !== undefined)(`Herald on PostgreSQL${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let schema: string;
  const servers: TestServer[] = [];

  async function start(dataDir?: string): Promise<TestServer> {
    const server = await startTestServer({ store: storeUrl(schema), ...(dataDir ? { dataDir } : {}) });
    servers.push(server);
    return server;
  }

  beforeEach(() => {
    schema = randomSchemaName();
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    await dropSchema(schema);
  });

  it('keeps KV keys in the same database across a restart, expiry included', async () => {
    const first = await start();
    expect((await http(first, 'PUT', '/api/kv/pg:kept', { value: { n: 1 }, ttl_s: 3600 })).status).toBe(200);
    await first.close({ keepData: true });
    servers.splice(servers.indexOf(first), 1);
    const second = await start(first.dataDir);
    expect((await http(second, 'GET', '/api/kv/pg:kept')).body).toMatchObject({ value: { n: 1 }, ttl_s: 3600 });
  });

  it('reports a healthy postgres store, described without credentials', async () => {
    const server = await start();
    const health = await http(server, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.store).toEqual({ status: 'ok', kind: 'postgres' });
    expect(server.storeDescription).toMatch(new RegExp(`^postgres://[^@]+ \\(schema ${schema}\\)$`));
  });

  it('keeps published events across a restart: history reads them, seq goes on, a client resumes', async () => {
    const first = await start();
    const a = await http(first, 'POST', '/api/events', {
      events: Array.from({ length: 30 }, (_, i) => ({ type: 'pg.before', source: 'test', data: { i, note: 'Timeout_50%' } })),
    });
    expect(a.status).toBe(202);
    const dup = await http(first, 'POST', '/api/events', { id: 'stable-id', type: 'pg.dup' });
    await first.close({ keepData: true });
    servers.splice(servers.indexOf(first), 1);

    const second = await start(first.dataDir);
    const history = await http(second, 'GET', '/api/events/history?types=pg.*&search=timeout_50%25&limit=100');
    expect(history.status).toBe(200);
    expect(history.body.events.map((e: { seq: number }) => e.seq).reverse()).toEqual(a.body.seqs);

    const again = await http(second, 'POST', '/api/events', { id: 'stable-id', type: 'pg.dup' });
    expect(again.body).toMatchObject({ seqs: dup.body.seqs, duplicates: ['stable-id'] });
    const after = await http(second, 'POST', '/api/events', { type: 'pg.after' });
    expect(after.body.seqs[0]).toBeGreaterThan(dup.body.seqs[0]);

    const client = await TestClient.connect(second.wsUrl);
    try {
      await client.waitFor((m) => m.type === 'connected');
      await client.request('subscribe', { event_types: ['pg.before'], since: a.body.seqs[19] });
      expect(await client.waitFor((m) => m.type === 'replayed')).toMatchObject({ count: 10, recovered: true });
      expect(client.events().map((e) => e.seq)).toEqual(a.body.seqs.slice(20));
    } finally {
      client.close();
    }
  });
});
