import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEventStoreContract, makeEvent } from './event-store.contract.js';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.js';
import { decodeCursor, encodeCursor } from './history-cursor.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'herald-store-'));
}

describeEventStoreContract('sqlite file', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'herald.db');
  return {
    store: new SqliteEventStore({ path: file }),
    reopen: () => new SqliteEventStore({ path: file }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describeEventStoreContract('sqlite :memory:', async () => ({
  store: new SqliteEventStore({ path: ':memory:' }),
  cleanup: async () => {},
}), { isVolatile: true });

// A scan budget far below the page sizes, so predicate pages end early and resume by cursor.
describeEventStoreContract('sqlite :memory: with a 3-row history scan budget', async () => ({
  store: new SqliteEventStore({ path: ':memory:', historyScanLimit: 3 }),
  cleanup: async () => {},
}), { isVolatile: true });

/** Exposes SQLite's page cap so a test can fill the disk on purpose. */
class CappedSqliteEventStore extends SqliteEventStore {
  capPages(pages: number): void {
    this.database.pragma(`max_page_count = ${pages}`);
  }
  pageCount(): number {
    return this.database.pragma('page_count', { simple: true }) as number;
  }
  journalMode(): string {
    return this.database.pragma('journal_mode', { simple: true }) as string;
  }
}

describe('SqliteEventStore', () => {
  let dir: string;
  let store: CappedSqliteEventStore;
  const warnings: unknown[] = [];

  async function openStore(options: Partial<SqliteEventStoreOptions> = {}): Promise<CappedSqliteEventStore> {
    store = new CappedSqliteEventStore({ path: path.join(dir, 'herald.db'), logger: { warn: (obj) => warnings.push(obj) }, ...options });
    await store.open();
    return store;
  }

  beforeEach(() => {
    dir = tempDir();
    warnings.length = 0;
  });

  afterEach(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('open', () => {
    it('puts a file database in WAL mode and names it in its description', async () => {
      await openStore({ synchronous: 'full' });
      expect(store.journalMode()).toBe('wal');
      expect(store.description).toBe(`sqlite:${path.join(dir, 'herald.db')}`);
    });

    it('creates the folder of the database file', async () => {
      await openStore({ path: path.join(dir, 'nested', 'deeper', 'herald.db') });
      await store.append([makeEvent(1)]);
      expect(fs.existsSync(path.join(dir, 'nested', 'deeper', 'herald.db'))).toBe(true);
    });

    it('counts the WAL file in sizeBytes', async () => {
      await openStore();
      await store.append(Array.from({ length: 200 }, (_, i) => makeEvent(i + 1)));
      const wal = fs.statSync(path.join(dir, 'herald.db-wal')).size;
      expect(wal).toBeGreaterThan(0);
      expect(await store.sizeBytes()).toBeGreaterThanOrEqual(wal);
    });
  });

  describe('append', () => {
    it('rejects the callers of a commit that fails, reports unhealthy, and works again once there is room', async () => {
      await openStore();
      await store.append([makeEvent(1)]);
      store.capPages(store.pageCount());
      const big = (seq: number) => makeEvent(seq, { data: { blob: 'x'.repeat(64 * 1024) } });
      const results = await Promise.allSettled([store.append([big(2)]), store.append([big(3)])]);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'store_unavailable' });
      }
      expect(await store.isHealthy()).toBe(false);
      expect(warnings.length).toBeGreaterThan(0);
      expect(await store.count()).toBe(1);
      expect(await store.lastSeq()).toBe(1);

      store.capPages(1_000_000);
      await store.append([big(4)]);
      expect((await store.readAfter(0, 10)).map((e) => e.seq)).toEqual([1, 4]);
      expect(await store.isHealthy()).toBe(true);
    });

    it('fails only the call whose seq is taken, committing the rest of its group', async () => {
      await openStore();
      await store.append([makeEvent(1)]);
      const results = await Promise.allSettled([
        store.append([makeEvent(2)]),
        store.append([makeEvent(1, { id: 'other' }), makeEvent(3)]),
        store.append([makeEvent(4)]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.readAfter(0, 10)).map((e) => e.seq)).toEqual([1, 2, 4]);
      expect(await store.isHealthy()).toBe(true);
    });

    it('rejects an event whose time is not ISO 8601 without queueing it', async () => {
      await openStore();
      await expect(store.append([makeEvent(1, { time: 'yesterday' })])).rejects.toMatchObject({ code: 'invalid_event' });
      expect(await store.count()).toBe(0);
    });

    it('commits appends of one event-loop turn together', async () => {
      await openStore();
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.append([makeEvent(i + 1)])));
      expect(store.commits).toBe(1);
    });
  });

  describe('history', () => {
    it('rejects malformed cursors with invalid_params naming the cursor', async () => {
      await openStore();
      for (const cursor of ['***', Buffer.from('abc').toString('base64url'), Buffer.from('-5').toString('base64url'), 'A'.repeat(80)]) {
        await expect(store.history({ limit: 10, cursor })).rejects.toMatchObject({ code: 'invalid_params', details: { path: 'cursor' } });
      }
    });

    it('round-trips cursors', () => {
      expect(decodeCursor(encodeCursor(1834))).toBe(1834);
    });

    it('keeps a cursor when the scan budget ends a predicate page early', async () => {
      await openStore({ historyScanLimit: 10 });
      await store.append(Array.from({ length: 30 }, (_, i) => makeEvent(i + 1)));
      const page = await store.history({ limit: 5 }, (e) => e.seq === 1);
      expect(page.events).toEqual([]);
      expect(decodeCursor(page.next_cursor!)).toBe(21);
    });
  });

  describe('applyRetention', () => {
    it('deletes more rows than one batch holds', async () => {
      await openStore();
      const total = 25_000;
      for (let start = 1; start <= total; start += 5_000) {
        await store.append(Array.from({ length: 5_000 }, (_, i) => makeEvent(start + i)));
      }
      expect(await store.applyRetention({ maxEvents: 1_000, maxAgeMs: 0 }, new Date())).toBe(24_000);
      expect(await store.earliestSeq()).toBe(24_001);
    });
  });

  describe('close', () => {
    it('makes a second close wait until the pending appends are committed and the file is closed', async () => {
      await openStore();
      const pending = Array.from({ length: 20 }, (_, i) => store.append([makeEvent(i + 1)]));
      void store.close();
      await store.close();
      await Promise.all(pending);
      expect(await store.isHealthy()).toBe(false);
      const reopened = new SqliteEventStore({ path: path.join(dir, 'herald.db') });
      await reopened.open();
      expect(await reopened.count()).toBe(20);
      await reopened.close();
    });

    it('rejects appends once closed with store_unavailable', async () => {
      await openStore();
      await store.close();
      await expect(store.append([makeEvent(1)])).rejects.toMatchObject({ code: 'store_unavailable' });
    });
  });
});
