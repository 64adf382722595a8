import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/store/postgres-event-store.js';
import { TEST_POSTGRES_URL, dropSchema, postgresSkipReason, randomSchemaName } from '../../src/store/postgres-event-store.contract-fixture.js';
import { http, startTestServer, type TestServer } from '../helpers.js';
import { LiveRecorder, readAll, resumeFromZero, runPublishers, verify, waitUntilHealthy, watchHealth } from './durability-run.js';
import { TcpProxy } from '../../../client/test/support/tcp-proxy.js';

const skipReason = await postgresSkipReason();

const PUBLISHERS = 20;
const CUTS = 4;
/** How long the store stays unreachable per cut, and how long it is reachable between cuts, ms. */
const CUT_MS = 700;
const BETWEEN_CUTS_MS = 600;

function urlFor(schema: string, port?: number): string {
  const url = new URL(TEST_POSTGRES_URL);
  if (port !== undefined) {
    url.hostname = '127.0.0.1';
    url.port = String(port);
  }
  url.searchParams.set('schema', schema);
  return url.toString();
}

describe.skipIf(skipReason !== undefined)(`Herald on PostgreSQL behind a connection that is cut${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const schema = randomSchemaName();
  let proxy: TcpProxy;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    const target = new URL(TEST_POSTGRES_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  });

  afterAll(async () => {
    for (const server of servers) await server.close().catch(() => undefined);
    await proxy?.close();
    if (skipReason === undefined) await dropSchema(schema);
  });

  it('stores every acknowledged event once, delivers nothing the log lacks, and recovers by itself', { timeout: 120_000 }, async () => {
    const server = await startTestServer({ store: urlFor(schema, proxy.port) });
    servers.push(server);
    const live = await LiveRecorder.start(server);

    let isChaosOver = false;
    const degradedSeen: Array<{ status: number; body: any }> = [];
    const chaos = (async () => {
      for (let i = 0; i < CUTS; i++) {
        await new Promise((r) => setTimeout(r, BETWEEN_CUTS_MS));
        proxy.cut();
        let isCut = true;
        const watching = watchHealth(server, () => isCut);
        await new Promise((r) => setTimeout(r, CUT_MS));
        isCut = false;
        proxy.restore();
        const seen = await watching;
        if (seen) degradedSeen.push(seen);
      }
      isChaosOver = true;
    })();
    const figures = await runPublishers(server, PUBLISHERS, () => isChaosOver);
    await chaos;
    await waitUntilHealthy(server);

    // While the store was cut, /health said so, naming the store and why.
    expect(degradedSeen.length).toBeGreaterThan(0);
    expect(degradedSeen[0]).toMatchObject({ status: 503, body: { status: 'degraded', store: { status: 'down', kind: 'postgres' } } });
    expect(typeof degradedSeen[0]!.body.store.reason).toBe('string');
    const metrics = await http(server, 'GET', '/api/metrics');
    expect(metrics.body.publishes_refused).toBeGreaterThan(0);
    expect(metrics.body.store_writable).toBe(true);
    expect(figures.refusals).toBeGreaterThan(0);
    live.close();

    // After a restart (straight to PostgreSQL, no proxy): the log as stored, and a resume from 0.
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const store = new PostgresEventStore({ connectionString: urlFor(schema) });
    await store.open();
    const stored = await readAll(store).finally(() => store.close());
    const again = await startTestServer({ store: urlFor(schema) });
    servers.push(again);
    const resumed = await resumeFromZero(again);

    const verdict = verify(figures, stored, live.events, resumed);
    expect(verdict.ghosts).toBe(0);
    console.info(`durability on PostgreSQL: ${JSON.stringify({ publishers: PUBLISHERS, cuts: CUTS, connectionsReset: proxy.resets, batches: figures.batches, refusals: figures.refusals, ...verdict })}`);
  });
});
