import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeraldEvent } from '@herald/protocol';
import { makeEvent } from './event-store.contract.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import { trigramMatch } from './sqlite-text-index.js';

describe('trigramMatch', () => {
  it('asks nothing of the index for searches under three characters', () => {
    expect(trigramMatch('ab')).toBeUndefined();
    expect(trigramMatch('é')).toBeUndefined();
  });

  it('covers the whole search with quoted trigrams, the last one included', () => {
    expect(trigramMatch('needle')).toBe('"nee" AND "dle"');
    expect(trigramMatch('timeout')).toBe('"tim" AND "eou" AND "out"');
    expect(trigramMatch('abc')).toBe('"abc"');
  });

  it('counts characters, not UTF-16 units, and quotes FTS5 syntax away', () => {
    expect(trigramMatch('Zoë😀x')).toBe('"Zoë" AND "ë😀x"');
    expect(trigramMatch('a"b OR c*')).toBe('"a""b" AND " OR" AND " c*"');
  });
});

describe('SqliteEventStore text search', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-text-'));
    store = new SqliteEventStore({ path: path.join(dir, 'herald.db'), isTextIndexedInBackground: false });
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const seqsOf = async (search: string, limit = 1_000): Promise<number[]> => {
    const seqs: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.history({ limit, search, ...(cursor !== undefined ? { cursor } : {}) });
      seqs.push(...page.events.map((e) => e.seq));
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    return seqs;
  };

  it('finds the same events before indexing, once indexed, and across the index reach, newest first', async () => {
    const events = Array.from({ length: 60 }, (_, i) =>
      makeEvent(i + 1, { data: { note: i % 7 === 0 ? `disk Needle timeout ${i}` : `ok ${i}`, who: i % 5 === 0 ? 'Zoë Müller' : 'bob' } }),
    );
    await store.append(events.slice(0, 40));
    const expected = (text: string, upTo: number) =>
      events
        .slice(0, upTo)
        .filter((e) => JSON.stringify(e.data).toLowerCase().includes(text.toLowerCase()))
        .map((e) => e.seq)
        .reverse();
    const scanned = await seqsOf('needle');
    expect(scanned).toEqual(expected('needle', 40));
    expect(store.textIndexLagEvents()).toBe(40);
    expect(store.catchUpTextIndex()).toBe(40);
    expect(store.textIndexLagEvents()).toBe(0);
    expect(await seqsOf('needle')).toEqual(scanned);
    expect(await seqsOf('Zoë Müller')).toEqual(expected('Zoë Müller', 40));
    // Newer events are past the index's reach until it catches up: found by scanning, ahead of the indexed ones.
    await store.append(events.slice(40));
    expect(await seqsOf('needle', 3)).toEqual(expected('needle', 60));
    expect(await seqsOf('nothing like this')).toEqual([]);
  });

  it('matches type and source as well as data, and keeps LIKE semantics for what the trigrams over-select', async () => {
    await store.append([
      makeEvent(1, { type: 'deploy.finished', source: 'ci-runner', data: { a: 1 } }),
      makeEvent(2, { type: 'user.created', source: 'auth', data: { text: 'deploy' } }),
      makeEvent(3, { type: 'user.created', source: 'auth', data: { text: 'dep loy ploy' } }),
    ]);
    store.catchUpTextIndex();
    expect(await seqsOf('deploy')).toEqual([2, 1]);
    expect(await seqsOf('ci-run')).toEqual([1]);
    // All of "dep", "loy" are in event 3, but not the substring.
    expect(await seqsOf('deploy')).not.toContain(3);
  });

  it('forgets the events retention removes', async () => {
    await store.append(Array.from({ length: 10 }, (_, i) => makeEvent(i + 1, { data: { text: 'needle' } })));
    store.catchUpTextIndex();
    await store.applyRetention({ maxAgeMs: 0, maxEvents: 4 }, new Date());
    expect(await seqsOf('needle')).toEqual([10, 9, 8, 7]);
  });

  it('returns what a LIKE scan returns for any mix of indexed and newer events (property)', async () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', 'c', ' ', '%', '_', '"');
    const text = fc.string({ unit: alphabet, minLength: 0, maxLength: 12 });
    let nextSeq = 1;
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 20 }), fc.nat(20), fc.string({ unit: alphabet, minLength: 1, maxLength: 5 }), async (texts, indexedCount, search) => {
        const events: HeraldEvent[] = texts.map((t) => makeEvent(nextSeq++, { data: { t } }));
        const cut = Math.min(indexedCount, events.length);
        await store.append(events.slice(0, cut));
        store.catchUpTextIndex();
        await store.append(events.slice(cut));
        const fromSeq = events[0]!.seq;
        const found = (await seqsOf(search)).filter((s) => s >= fromSeq);
        // LIKE folds ASCII case, field by field: type, source, data as JSON text.
        const needle = search.toLowerCase();
        const model = events.filter((e) => [e.type, e.source, JSON.stringify(e.data)].some((f) => f.toLowerCase().includes(needle))).map((e) => e.seq);
        expect(found).toEqual(model.reverse());
      }),
      { numRuns: 60 },
    );
  });

  it('upgrades a version-1 file: its events become searchable through the index', async () => {
    await store.close();
    const file = path.join(dir, 'herald.db');
    const db = new Database(file);
    db.exec('DROP TRIGGER events_text_delete; DROP TABLE events_text; DELETE FROM meta;');
    db.prepare(`INSERT INTO events (seq, id, type, category, source, time, time_ms, severity, priority, json) VALUES (1, 'old', 'legacy.thing', 'legacy', 'old-svc', '2020-01-01T00:00:00.000Z', 0, 'info', 'normal', ?)`).run(
      JSON.stringify(makeEvent(1, { id: 'old', type: 'legacy.thing', data: { text: 'needle from v1' } })),
    );
    db.pragma('user_version = 1');
    db.close();
    store = new SqliteEventStore({ path: file, isTextIndexedInBackground: false });
    await store.open();
    expect(store.catchUpTextIndex()).toBe(1);
    expect(await seqsOf('needle')).toEqual([1]);
  });
});
