import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/store/sqlite-event-store.js';
import { http, startTestServer, type TestServer } from '../helpers.js';
import { LiveRecorder, readAll, resumeFromZero, runPublishers, verify, waitUntilHealthy, watchHealth } from './durability-run.js';

const PUBLISHERS = 20;
const DISK_FULLS = 4;
/** How long the disk stays full, and how long it has room between, ms. */
const FULL_MS = 600;
const BETWEEN_MS = 500;

/** A SQLite store whose disk can be made full: `PRAGMA max_page_count` caps the file at its current size, so appends fail with SQLITE_FULL. */
class FillableSqliteStore extends SqliteEventStore {
  fill(): void {
    const pages = this.database.pragma('page_count', { simple: true }) as number;
    this.database.pragma(`max_page_count = ${pages}`);
  }

  makeRoom(): void {
    this.database.pragma('max_page_count = 4294967294');
  }
}

describe('Herald on SQLite whose disk fills up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-sqlite-full-'));
  const path = join(dataDir, 'herald.db');
  const servers: TestServer[] = [];

  afterAll(async () => {
    for (const server of servers) await server.close({ keepData: true }).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses publishes with 503 while the disk is full, stores every acknowledged event once, and recovers by itself', { timeout: 120_000 }, async () => {
    const store = new FillableSqliteStore({ path });
    const server = await startTestServer({ dataDir }, { store });
    servers.push(server);
    const live = await LiveRecorder.start(server);

    let isOver = false;
    const degradedSeen: Array<{ status: number; body: any }> = [];
    const chaos = (async () => {
      for (let i = 0; i < DISK_FULLS; i++) {
        await new Promise((r) => setTimeout(r, BETWEEN_MS));
        store.fill();
        let isFull = true;
        const watching = watchHealth(server, () => isFull);
        await new Promise((r) => setTimeout(r, FULL_MS));
        isFull = false;
        store.makeRoom();
        const seen = await watching;
        if (seen) degradedSeen.push(seen);
      }
      isOver = true;
    })();
    const figures = await runPublishers(server, PUBLISHERS, () => isOver);
    await chaos;
    await waitUntilHealthy(server);

    expect(degradedSeen.length).toBeGreaterThan(0);
    expect(degradedSeen[0]).toMatchObject({ status: 503, body: { status: 'degraded', store: { status: 'down', kind: 'sqlite' } } });
    expect(degradedSeen[0]!.body.store.reason).toMatch(/full/i);
    const metrics = await http(server, 'GET', '/api/metrics');
    expect(metrics.body.publishes_refused).toBeGreaterThan(0);
    expect(metrics.body.store_writable).toBe(true);
    live.close();

    await server.close({ keepData: true });
    servers.splice(servers.indexOf(server), 1);
    const reader = new SqliteEventStore({ path });
    await reader.open();
    const stored = await readAll(reader).finally(() => reader.close());
    const again = await startTestServer({ dataDir });
    servers.push(again);
    const resumed = await resumeFromZero(again);

    const verdict = verify(figures, stored, live.events, resumed);
    expect(verdict.ghosts).toBe(0);
    console.info(`durability on SQLite: ${JSON.stringify({ publishers: PUBLISHERS, diskFulls: DISK_FULLS, batches: figures.batches, refusals: figures.refusals, ...verdict })}`);
  });
});
