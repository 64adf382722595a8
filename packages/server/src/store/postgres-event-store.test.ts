import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/herald-error.js';
import { describeEventStoreContract, makeEvent } from './event-store.contract.js';
import {
  TEST_POSTGRES_URL,
  dropSchema,
  makePostgresFixture,
  postgresSkipReason,
  randomSchemaName,
} from './postgres-event-store.contract-fixture.js';
import { jsonbSafe } from './postgres-event-row.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
import { typePatternRegex } from './postgres-history-query.js';
import { SEARCH_TEXT_SQL } from './postgres-schema.js';

const skipReason = await postgresSkipReason();
const suffix = skipReason ? ` (skipped: ${skipReason})` : '';

describe.skipIf(skipReason !== undefined)(`postgres${suffix}`, () => {
  describeEventStoreContract('postgres', async () => makePostgresFixture());

  // A scan budget far below the page sizes, so predicate pages end early and resume by cursor.
  describeEventStoreContract('postgres with a 3-row history scan budget', async () => makePostgresFixture({ historyScanLimit: 3 }));
});

describe('PostgresEventStore (pure parts)', () => {
  it('turns type patterns into anchored regexes with a literal prefix', () => {
    expect(typePatternRegex('claude.*')).toBe('^claude\\..+$');
    expect(typePatternRegex('repo.*.created')).toBe('^repo\\.[^.]+\\.created$');
    expect(typePatternRegex('*.session.started')).toBe('^[^.]+\\.session\\.started$');
  });

  it('replaces only real \\u0000 escapes in the JSONB copy', () => {
    expect(jsonbSafe('{"a":"x"}')).toBeNull();
    expect(jsonbSafe(JSON.stringify({ a: 'x\u0000y', b: '\\u0000' }))).toBe('{"a":"x\\ufffdy","b":"\\\\u0000"}');
    expect(jsonbSafe(JSON.stringify({ lone: 'a\ud800b', pair: '😀', text: '\\ud800' }))).toBe(
      '{"lone":"a\\ufffdb","pair":"😀","text":"\\\\ud800"}',
    );
  });

  it('rejects a schema name that is not a plain lower-case identifier', () => {
    expect(() => new PostgresEventStore({ connectionString: TEST_POSTGRES_URL, schema: 'Herald"; DROP' })).toThrow(ConfigError);
  });

  it('reads the schema from the URL and keeps credentials out of its description', () => {
    const store = new PostgresEventStore({ connectionString: 'postgres://u:secret@db.example:5433/herald?schema=tenant_a' });
    expect(store.description).toBe('postgres://db.example:5433/herald (schema tenant_a)');
    expect(new PostgresEventStore({ connectionString: 'postgres://db/h' }).description).toBe('postgres://db/h (schema herald)');
  });
});

describe.skipIf(skipReason !== undefined)(`PostgresEventStore${suffix}`, () => {
  let admin: pg.Client;
  let schema: string;
  const stores: PostgresEventStore[] = [];
  const warnings: unknown[] = [];

  async function openStore(options: Partial<PostgresEventStoreOptions> = {}): Promise<PostgresEventStore> {
    const store = new PostgresEventStore({
      connectionString: TEST_POSTGRES_URL,
      schema,
      poolSize: 4,
      logger: { warn: (obj) => warnings.push(obj) },
      ...options,
    });
    await store.open();
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
  });

  beforeEach(() => {
    schema = randomSchemaName();
    warnings.length = 0;
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await dropSchema(schema);
  });

  describe('open', () => {
    it('creates the schema once and opens again over it', async () => {
      const store = await openStore();
      await store.append([makeEvent(1)]);
      await store.close();
      const again = await openStore();
      expect(await again.count()).toBe(1);
      const { rows } = await admin.query(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`);
      expect(rows).toEqual([{ value: '2' }]);
    });

    it('indexes the searched text with pg_trgm, and search uses that index once the planner prefers it', async () => {
      const store = await openStore();
      const { rows } = await admin.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'events_text'`, [schema]);
      expect(rows[0]?.indexdef).toMatch(/USING gin .*gin_trgm_ops/);
      expect(warnings).toEqual([]);
      await store.append(Array.from({ length: 200 }, (_, i) => makeEvent(i + 1, { data: { note: i === 150 ? 'a Needle here' : 'hay' } })));
      await admin.query(`ANALYZE "${schema}".events`);
      // 200 rows are too few for the planner to prefer the index on its own.
      await admin.query(`SET enable_seqscan = off`);
      const plan = await admin.query(`EXPLAIN SELECT seq FROM "${schema}".events WHERE ${SEARCH_TEXT_SQL} ILIKE '%needle%'`);
      await admin.query(`RESET enable_seqscan`);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('events_text');
      expect((await store.history({ limit: 10, search: 'needle' })).events.map((e) => e.seq)).toEqual([151]);
    });

    it('lets two nodes open the same new schema at the same time', async () => {
      await Promise.all([openStore(), openStore(), openStore()]);
      expect(await stores[0]!.count()).toBe(0);
    });

    it('refuses a schema written by a newer Herald', async () => {
      await (await openStore()).close();
      await admin.query(`UPDATE "${schema}".meta SET value = 99 WHERE key = 'schema_version'`);
      await expect(openStore()).rejects.toThrow(/version 99, newer/);
    });

    it('rejects open when the server cannot be reached', async () => {
      const store = new PostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', schema });
      await expect(store.open()).rejects.toThrow();
      expect(await store.isHealthy()).toBe(false);
    });
  });

  describe('append', () => {
    it('rejects every caller of a commit the server fails, reports unhealthy, and works again after', async () => {
      const store = await openStore();
      await store.append([makeEvent(1)]);
      // A trigger that fails as a full disk would: not a constraint, so the whole batch fails.
      await admin.query(`
        CREATE FUNCTION "${schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'no space left' USING ERRCODE = 'disk_full'; END $$;
        CREATE TRIGGER refuse BEFORE INSERT ON "${schema}".events FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse();`);
      const results = await Promise.allSettled([store.append([makeEvent(2)]), store.append([makeEvent(3)])]);
      for (const r of results) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'store_unavailable', details: { sqlstate: '53100' } });
      }
      expect(await store.isHealthy()).toBe(false);
      expect(warnings.length).toBeGreaterThan(0);
      expect(await store.count()).toBe(1);

      await admin.query(`DROP TRIGGER refuse ON "${schema}".events`);
      await store.append([makeEvent(4)]);
      expect((await store.readAfter(0, 10)).map((e) => e.seq)).toEqual([1, 4]);
      expect(await store.isHealthy()).toBe(true);
    });

    it('fails only the call a CHECK constraint refuses, committing the rest of its group', async () => {
      const store = await openStore();
      await admin.query(`ALTER TABLE "${schema}".events ADD CONSTRAINT no_secrets CHECK (source <> 'secret')`);
      const before = store.commits;
      const results = await Promise.allSettled([
        store.append([makeEvent(1)]),
        store.append([makeEvent(2), makeEvent(3, { source: 'secret' })]),
        store.append([makeEvent(4)]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'internal_error', details: { sqlstate: '23514' } });
      expect((await store.readAfter(0, 10)).map((e) => e.seq)).toEqual([1, 4]);
      expect(store.commits - before).toBe(1);
      expect(await store.isHealthy()).toBe(true);
    });

    it('fails only the call whose seq is taken', async () => {
      const store = await openStore();
      await store.append([makeEvent(1)]);
      const results = await Promise.allSettled([
        store.append([makeEvent(2)]),
        store.append([makeEvent(1, { id: 'other' }), makeEvent(3)]),
        store.append([makeEvent(4)]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.readAfter(0, 10)).map((e) => e.seq)).toEqual([1, 2, 4]);
    });

    it('rejects text PostgreSQL cannot store without queueing it, and keeps U+0000 and lone surrogates inside data', async () => {
      const store = await openStore();
      await expect(store.append([makeEvent(1, { source: 'a\u0000b' })])).rejects.toMatchObject({
        code: 'invalid_event',
        details: { path: 'source' },
      });
      await expect(store.append([makeEvent(1, { id: 'half \ud800' })])).rejects.toMatchObject({
        code: 'invalid_event',
        details: { path: 'id' },
      });
      expect(await store.get('a\u0000b')).toBeUndefined();
      expect((await store.findSeqs(['a\u0000b', 'half \ud800'])).size).toBe(0);
      const event = makeEvent(2, { data: { text: 'nul \u0000 here', literal: '\\u0000', lone: '\udc00' } });
      await store.append([event]);
      expect(await store.get('e2')).toEqual(event);
      const { rows } = await admin.query(`SELECT event->'data'->>'literal' AS literal FROM "${schema}".events`);
      expect(rows).toEqual([{ literal: '\\u0000' }]);
    });

    it('returns the appended text unchanged: key order, unicode and numbers', async () => {
      const store = await openStore();
      const { data: _data, ...rest } = makeEvent(1);
      // data first, so search must find it before the other members.
      const event = { data: { z: 1, a: [1.5, 'é😀'], big: 1e21 }, ...rest, org: 'acme' };
      await store.append([event]);
      const { rows } = await admin.query(`SELECT json FROM "${schema}".events`);
      expect(rows[0].json).toBe(JSON.stringify(event));
      expect(JSON.stringify(await store.get('e1'))).toBe(JSON.stringify(event));
    });
  });

  describe('history', () => {
    it('searches the data text as JSON.stringify wrote it, after non-BMP characters', async () => {
      const store = await openStore();
      await store.append([makeEvent(1, { source: '😀😀', data: { status: 'down', n: 7 } }), makeEvent(2, { data: { status: 'up' } })]);
      const page = await store.history({ limit: 10, search: '"STATUS":"down","n":7' });
      expect(page.events.map((e) => e.seq)).toEqual([1]);
      expect((await store.history({ limit: 10, search: 'source' })).events).toEqual([]);
    });

    it('rejects query text PostgreSQL cannot bind with invalid_params naming the field', async () => {
      const store = await openStore();
      await expect(store.history({ limit: 10, search: 'a\u0000' })).rejects.toMatchObject({
        code: 'invalid_params',
        details: { path: 'search' },
      });
      await expect(store.history({ limit: 10, sources: ['ok', '\ud800'] })).rejects.toMatchObject({ details: { path: 'sources' } });
    });
  });

  describe('two nodes on one schema', () => {
    it('both land their own seqs when appending concurrently, and each sees the other', async () => {
      const [a, b] = await Promise.all([openStore(), openStore()]);
      const odd = Array.from({ length: 200 }, (_, i) => 2 * i + 1);
      const even = Array.from({ length: 200 }, (_, i) => 2 * i + 2);
      await Promise.all([...odd.map((seq) => a!.append([makeEvent(seq)])), ...even.map((seq) => b!.append([makeEvent(seq)]))]);
      expect(await a!.count()).toBe(400);
      expect((await b!.readAfter(0, 1000)).map((e) => e.seq)).toEqual([...odd, ...even].sort((x, y) => x - y));
      expect(await a!.lastSeq()).toBe(400);
      expect(await b!.lastSeq()).toBe(400);
    });

    it('refuses the second of two nodes appending the same seq, keeping the first', async () => {
      const [a, b] = await Promise.all([openStore(), openStore()]);
      await a!.append([makeEvent(1, { id: 'from-a' })]);
      await expect(b!.append([makeEvent(1, { id: 'from-b' })])).rejects.toMatchObject({ code: 'internal_error' });
      expect((await b!.get('from-a'))?.seq).toBe(1);
      expect(await b!.get('from-b')).toBeUndefined();
      expect(await b!.isHealthy()).toBe(true);
    });

    it('stores an id once when both nodes append it at the same time', async () => {
      const [a, b] = await Promise.all([openStore(), openStore()]);
      const results = await Promise.allSettled([a!.append([makeEvent(1, { id: 'same' })]), b!.append([makeEvent(2, { id: 'same' })])]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(await a!.count()).toBe(1);
    });
  });

  describe('count', () => {
    it('answers the planner estimate once the table passes 100,000 rows, instead of counting them', async () => {
      const store = await openStore();
      await admin.query(`
        INSERT INTO "${schema}".events (seq, id, type, category, source, time, time_ms, severity, priority, data_at, data_chars, json, event)
        SELECT n, 'bulk-' || n, 'bulk', 'bulk', 'test', '2026-01-01T00:00:00.000Z', 0, 'info', 'normal', 1, 2, '{}', '{}'::jsonb
        FROM generate_series(1, 120000) AS n`);
      await admin.query(`ANALYZE "${schema}".events`);
      // Deleted after the statistics were taken: an exact count would see 110,000.
      await admin.query(`DELETE FROM "${schema}".events WHERE seq <= 10000`);
      expect(await store.count()).toBe(120_000);
    });

    it('counts exactly while the table is small', async () => {
      const store = await openStore();
      await store.append([makeEvent(1), makeEvent(2), makeEvent(3)]);
      await admin.query(`ANALYZE "${schema}".events`);
      await admin.query(`DELETE FROM "${schema}".events WHERE seq = 1`);
      expect(await store.count()).toBe(2);
    });
  });

  describe('settle', () => {
    it('returns the stored events of a range and gives up the missing seqs for good', async () => {
      const store = await openStore();
      await store.append([makeEvent(1), makeEvent(2)]);
      await store.append([makeEvent(4)]);
      expect((await store.settle(1, 4)).map((e) => e.seq)).toEqual([1, 2, 4]);
      // Seq 3 was settled as empty: an append that took it late fails instead of committing, and may be retried.
      await expect(store.append([makeEvent(3)])).rejects.toMatchObject({ code: 'bus_unavailable', details: { retry_after_ms: 1000 } });
      expect(await store.get(makeEvent(3).id)).toBeUndefined();
      expect((await store.settle(3, 3)).map((e) => e.seq)).toEqual([]);
      await store.append([makeEvent(5)]);
      expect(await store.lastSeq()).toBe(5);
    });

    it('takes a batch written again after a commit whose outcome was unknown, storing nothing twice', async () => {
      const store = await openStore();
      await store.append([makeEvent(1), makeEvent(2)]);
      await store.append([makeEvent(1), makeEvent(2)]);
      expect(await store.count()).toBe(2);
    });

    it('counts a settled seq in lastSeq, so a re-seeded counter starts above it', async () => {
      const store = await openStore();
      await store.append([makeEvent(1)]);
      await store.settle(2, 7);
      expect(await store.lastSeq()).toBe(7);
    });

    it('waits for an append of the seq still in flight, and keeps its outcome', async () => {
      const store = await openStore();
      const other = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await other.connect();
      try {
        // Another node's transaction holds seq 1 (claimed, not yet committed).
        await other.query('BEGIN');
        await other.query(`INSERT INTO "${schema}".seq_claims (seq) VALUES (1)`);
        let isRolledBack = false;
        const settled = store.settle(1, 1).then((events) => ({ events, isRolledBack }));
        await other.query('SELECT 1');
        isRolledBack = true;
        await other.query('ROLLBACK');
        // The settle could finish only once that transaction ended; it then gave seq 1 up.
        expect(await settled).toEqual({ events: [], isRolledBack: true });
        await expect(store.append([makeEvent(1)])).rejects.toBeDefined();
      } finally {
        await other.end();
      }
    });
  });

  describe('applyRetention', () => {
    it('deletes more rows than one batch holds and keeps lastSeq', async () => {
      const store = await openStore();
      const total = 25_000;
      for (let start = 1; start <= total; start += 5_000) {
        await store.append(Array.from({ length: 5_000 }, (_, i) => makeEvent(start + i)));
      }
      expect(await store.applyRetention({ maxEvents: 1_000, maxAgeMs: 0 }, new Date())).toBe(24_000);
      expect(await store.earliestSeq()).toBe(24_001);
      expect(await store.applyRetention({ maxEvents: 0, maxAgeMs: 1 }, new Date('2100-01-01'))).toBe(1_000);
      expect(await store.lastSeq()).toBe(total);
      expect(await store.sizeBytes()).toBeGreaterThan(0);
    });
  });
});
