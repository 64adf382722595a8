import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HeraldEvent, type HistoryQuery, PRIORITIES, SEVERITIES } from '@herald/protocol';
import type { EventStore } from './event-store.js';
import { expectedStats, historyMatches, pageThrough } from './event-store.contract-model.js';

/** What a contract run needs from an implementation. */
export interface EventStoreFixture {
  /** A store not opened yet; the suite opens and closes it. */
  store: EventStore;
  /** Removes what the fixture made (files, schemas). Runs after the store is closed. */
  cleanup(): Promise<void>;
  /** For durable stores: a new, unopened store over the same data. Tests of durability are skipped without it. */
  reopen?(): EventStore;
}

const BASE_MS = Date.parse('2026-11-21T12:00:00.000Z');
const TYPES = [
  'repo.commit.created',
  'repo.pr.opened',
  'repo.ci.run.opened',
  'agent_request',
  'claude.session.started',
  'claude',
  'mcp.status',
];
const SOURCES = ['git', 'mcp-monitor', 'Agent_1', '50%off'];
const WORDS = ['Timeout', 'ok', 'x_y', '100%', 'a\\b'];

/** Builds event `seq` (id `e<seq>` unless given) with fields derived from the seq. */
export function makeEvent(seq: number, overrides: Partial<HeraldEvent> = {}): HeraldEvent {
  const type = overrides.type ?? TYPES[seq % TYPES.length]!;
  return {
    id: `e${seq}`,
    seq,
    type,
    category: type.split('.')[0]!,
    source: SOURCES[seq % SOURCES.length]!,
    time: new Date(BASE_MS + seq * 1000).toISOString(),
    severity: SEVERITIES[seq % SEVERITIES.length]!,
    priority: PRIORITIES[seq % PRIORITIES.length]!,
    data: { n: seq, word: WORDS[seq % WORDS.length] },
    ...overrides,
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const arbEventFields = fc.record({
  type: fc.constantFrom(...TYPES),
  source: fc.constantFrom(...SOURCES),
  severity: fc.constantFrom(...SEVERITIES),
  priority: fc.constantFrom(...PRIORITIES),
  org: fc.option(fc.constantFrom('acme', 'globex'), { nil: undefined }),
  correlation_id: fc.option(fc.constantFrom('req-1', 'req-2'), { nil: undefined }),
  // Whole 10 s steps, so that events often fall exactly on a window edge.
  offsetS: fc.integer({ min: 0, max: 60 }).map((n) => n * 10),
  word: fc.constantFrom(...WORDS),
  /** When set (about one event in eight), reuses the id of an earlier event: the store must keep the first. */
  reuseId: fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: fc.nat(), weight: 1 }),
});

/** Random events in ascending seq, some reusing an earlier id. */
const arbEvents = fc.array(arbEventFields, { maxLength: 40, size: 'medium' }).map((list) =>
  list.map((f, i): HeraldEvent => {
    const seq = i + 1;
    const event = makeEvent(seq, {
      id: f.reuseId !== undefined && i > 0 ? `e${(f.reuseId % i) + 1}` : `e${seq}`,
      type: f.type,
      category: f.type.split('.')[0]!,
      source: f.source,
      time: new Date(BASE_MS + f.offsetS * 1000).toISOString(),
      severity: f.severity,
      priority: f.priority,
      data: { n: seq, word: f.word },
    });
    if (f.org) event.org = f.org;
    if (f.correlation_id) event.correlation_id = f.correlation_id;
    return event;
  }),
);

const isoAt = (offsetS: number) => new Date(BASE_MS + offsetS * 1000).toISOString();
const queryFields = {
  limit: fc.integer({ min: 1, max: 6 }),
  types: fc.subarray(['*', 'repo.*', 'repo.*.opened', '*.session.started', 'agent_request', 'claude.*', 'mcp.status'], { minLength: 1 }),
  sources: fc.subarray(SOURCES, { minLength: 1 }),
  severity: fc.subarray([...SEVERITIES], { minLength: 1 }),
  priority: fc.subarray([...PRIORITIES], { minLength: 1 }),
  categories: fc.subarray(['repo', 'agent_request', 'claude', 'mcp'], { minLength: 1 }),
  search: fc.constantFrom('time', 'TIMEOUT', 'x_y', '_', '%', '0%', 'REPO', 'git', 'a\\b', 'zzz'),
  since_time: fc.integer({ min: 0, max: 60 }).map((n) => isoAt(n * 10)),
  until_time: fc.integer({ min: 0, max: 60 }).map((n) => isoAt(n * 10)),
  after_seq: fc.integer({ min: 0, max: 40 }),
  correlation_id: fc.constantFrom('req-1', 'req-2'),
  org: fc.constantFrom('acme', 'globex'),
};
/** A page size and up to three filters, so that most queries still select something. */
const arbQuery: fc.Arbitrary<HistoryQuery> = fc
  .tuple(
    fc.record(queryFields),
    fc.subarray(
      Object.keys(queryFields).filter((k) => k !== 'limit'),
      { maxLength: 3 },
    ),
  )
  .map(([all, keys]) => {
    const query: Record<string, unknown> = { limit: all.limit };
    for (const key of keys) query[key] = all[key as keyof typeof all];
    return query as unknown as HistoryQuery;
  });

/**
 * The behaviour every {@link EventStore} promises, as one vitest suite.
 * Call it once per implementation, at the top level of a test file:
 * @example
 * describeEventStoreContract('sqlite :memory:', async () => ({ store: new SqliteEventStore({ path: ':memory:' }), cleanup: async () => {} }), { isVolatile: true });
 */
export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<EventStoreFixture>,
  /** `isVolatile`: the store keeps nothing across a reopen (`:memory:`), so durability tests do not apply. */
  options: { isVolatile?: boolean } = {},
): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    const opened: EventStore[] = [];

    async function open(s: EventStore): Promise<EventStore> {
      await s.open();
      opened.push(s);
      return s;
    }

    /** Closes the current store and opens a new one over the same data. */
    async function reopen(): Promise<EventStore> {
      await store.close();
      store = await open(fixture.reopen!());
      return store;
    }

    /** A fresh store for one property run; closed and cleaned up by the caller. */
    async function withFreshStore<T>(body: (s: EventStore) => Promise<T>): Promise<T> {
      const f = await makeStore();
      try {
        await f.store.open();
        return await body(f.store);
      } finally {
        await f.store.close();
        await f.cleanup();
      }
    }

    beforeEach(async () => {
      fixture = await makeStore();
      store = await open(fixture.store);
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await fixture.cleanup();
    });

    describe('append', () => {
      it('stores events that read back exactly, by id and in seq order', async () => {
        const events = range(1, 20).map((seq) => makeEvent(seq, seq % 3 ? {} : { org: 'acme', correlation_id: `req-${seq}` }));
        await store.append(events.slice(0, 5));
        await store.append(events.slice(5));
        expect(await store.get('e7')).toEqual(events[6]);
        expect(await store.get('nope')).toBeUndefined();
        expect(await store.readAfter(0, 100)).toEqual(events);
        expect(await store.readAfter(10, 3)).toEqual(events.slice(10, 13));
        expect(await store.readAfter(20, 10)).toEqual([]);
        expect(await store.count()).toBe(20);
        expect(await store.lastSeq()).toBe(20);
        expect(await store.earliestSeq()).toBe(1);
      });

      it('resolves an empty append and reports an empty log as lastSeq 0, earliestSeq 1', async () => {
        await store.append([]);
        expect(await store.lastSeq()).toBe(0);
        expect(await store.earliestSeq()).toBe(1);
        expect(await store.count()).toBe(0);
      });

      it('keeps the first event of an id, within one call and across calls', async () => {
        await store.append([makeEvent(1), makeEvent(2, { id: 'e1', data: 'second' })]);
        await store.append([makeEvent(3, { id: 'e1', data: 'third' }), makeEvent(4)]);
        expect(await store.count()).toBe(2);
        expect(await store.get('e1')).toEqual(makeEvent(1));
        expect((await store.readAfter(0, 10)).map((e) => e.seq)).toEqual([1, 4]);
      });

      it('finds the seqs of stored ids, in lists longer than one lookup', async () => {
        await store.append(range(1, 1200).map((seq) => makeEvent(seq)));
        const ids = [...range(1, 1200).map((seq) => `e${seq}`), 'missing'];
        const found = await store.findSeqs(ids);
        expect(found.size).toBe(1200);
        expect(found.get('e1')).toBe(1);
        expect(found.get('e1200')).toBe(1200);
        expect(found.has('missing')).toBe(false);
      });

      it('commits many concurrent appends, all acknowledged and stored, in fewer transactions', async () => {
        const before = store.commits;
        await Promise.all(range(1, 200).map((seq) => store.append([makeEvent(seq)])));
        expect(await store.count()).toBe(200);
        expect((await store.readAfter(0, 500)).map((e) => e.seq)).toEqual(range(1, 200));
        if (before !== undefined) expect(store.commits! - before).toBeLessThan(200);
      });

      it('acknowledges appends pending at close, and rejects appends after it', async () => {
        const pending = range(1, 50).map((seq) => store.append([makeEvent(seq)]));
        const closing = store.close();
        await expect(Promise.all(pending)).resolves.toBeDefined();
        await closing;
        await expect(store.append([makeEvent(51)])).rejects.toThrow();
        if (!fixture.reopen) return;
        store = await open(fixture.reopen());
        expect(await store.count()).toBe(50);
      });
    });

    describe('seqAtTime', () => {
      it('returns the seq of the first event at or after a time, else lastSeq + 1', async () => {
        await store.append(range(1, 10).map((seq) => makeEvent(seq)));
        expect(await store.seqAtTime(makeEvent(4).time)).toBe(4);
        expect(await store.seqAtTime(new Date(Date.parse(makeEvent(4).time) - 500).toISOString())).toBe(4);
        expect(await store.seqAtTime(new Date(0).toISOString())).toBe(1);
        expect(await store.seqAtTime(new Date(BASE_MS + 3600e3).toISOString())).toBe(11);
      });
    });

    describe('durability', () => {
      // Registered only for durable stores: a volatile one has nothing to keep.
      if (!options.isVolatile) it('keeps every event and lastSeq across a reopen', async () => {
        expect(fixture.reopen, 'a durable store fixture must offer reopen').toBeDefined();
        const events = range(1, 30).map((seq) => makeEvent(seq));
        await store.append(events);
        await reopen();
        expect(await store.readAfter(0, 100)).toEqual(events);
        expect(await store.lastSeq()).toBe(30);
      });

      it('keeps lastSeq after retention deleted every event, also across a reopen', async () => {
        await store.append(range(1, 12).map((seq) => makeEvent(seq)));
        expect(await store.applyRetention({ maxEvents: 0, maxAgeMs: 1 }, new Date(BASE_MS + 3600e3))).toBe(12);
        expect(await store.count()).toBe(0);
        expect(await store.lastSeq()).toBe(12);
        expect(await store.earliestSeq()).toBe(13);
        if (!fixture.reopen) return;
        await reopen();
        expect(await store.lastSeq()).toBe(12);
        expect(await store.earliestSeq()).toBe(13);
      });
    });

    describe('applyRetention', () => {
      it('keeps the newest maxEvents events', async () => {
        await store.append(range(1, 25).map((seq) => makeEvent(seq)));
        expect(await store.applyRetention({ maxEvents: 10, maxAgeMs: 0 }, new Date(BASE_MS))).toBe(15);
        expect((await store.readAfter(0, 100)).map((e) => e.seq)).toEqual(range(16, 25));
        expect(await store.earliestSeq()).toBe(16);
      });

      it('drops events older than maxAgeMs and nothing when both limits are 0', async () => {
        await store.append(range(1, 25).map((seq) => makeEvent(seq)));
        expect(await store.applyRetention({ maxEvents: 0, maxAgeMs: 0 }, new Date(BASE_MS + 100e3))).toBe(0);
        // Event n happened at BASE + n s; at BASE + 30 s with 10 s of age, events 20..25 stay.
        expect(await store.applyRetention({ maxEvents: 0, maxAgeMs: 10_000 }, new Date(BASE_MS + 30e3))).toBe(19);
        expect((await store.readAfter(0, 100)).map((e) => e.seq)).toEqual(range(20, 25));
      });
    });

    describe('history', () => {
      it('pages newest first with a cursor, visiting every event once', async () => {
        await store.append(range(1, 23).map((seq) => makeEvent(seq)));
        const pages = await pageThrough(store, { limit: 10 });
        expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
        expect(pages.flat().map((e) => e.seq)).toEqual(range(1, 23).reverse());
      });

      it('applies each filter as the brute-force model does', async () => {
        const events = range(1, 60).map((seq) => makeEvent(seq, { org: seq % 4 ? 'acme' : undefined, correlation_id: `req-${seq % 3}` }));
        await store.append(events);
        const queries: HistoryQuery[] = [
          { limit: 100, types: ['repo.*'] },
          { limit: 100, types: ['repo.*.opened', 'agent_request'] },
          { limit: 100, types: ['*'] },
          { limit: 100, sources: ['git', '50%off'] },
          { limit: 100, severity: ['error', 'critical'], priority: ['high'] },
          { limit: 100, categories: ['claude'] },
          { limit: 100, search: 'TIMEOUT' },
          { limit: 100, search: '_' },
          { limit: 100, search: '%' },
          { limit: 100, since_time: makeEvent(10).time, until_time: makeEvent(20).time },
          { limit: 100, after_seq: 50 },
          { limit: 100, correlation_id: 'req-2' },
          { limit: 100, org: 'acme' },
        ];
        for (const query of queries) {
          const pages = await pageThrough(store, query);
          expect(pages.flat(), JSON.stringify(query)).toEqual(historyMatches(events, query));
        }
      });

      it('applies the caller predicate after its own filters', async () => {
        await store.append(range(1, 40).map((seq) => makeEvent(seq)));
        const pages = await pageThrough(store, { limit: 4, types: ['repo.*'] }, (e) => e.seq % 5 === 0);
        const expected = range(1, 40).filter((seq) => seq % 5 === 0 && makeEvent(seq).type.startsWith('repo.'));
        expect(pages.flat().map((e) => e.seq)).toEqual(expected.reverse());
      });

      it('rejects a cursor it did not make with invalid_params', async () => {
        await expect(store.history({ limit: 10, cursor: '!!not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_params' });
      });

      it('matches a brute-force filter of everything appended, over every page', async () => {
        await fc.assert(
          fc.asyncProperty(arbEvents, arbQuery, fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }), (events, query, k) =>
            withFreshStore(async (s) => {
              for (let i = 0; i < events.length; i += 7) await s.append(events.slice(i, i + 7));
              const predicate = k === undefined ? undefined : (e: HeraldEvent) => (e.data as { n: number }).n % k === 0;
              const pages = await pageThrough(s, query, predicate);
              expect(pages.flat()).toEqual(historyMatches(events, query, predicate));
            }),
          ),
          { numRuns: 100 },
        );
      });
    });

    describe('stats', () => {
      it('counts buckets and breakdowns as a brute-force count does', async () => {
        const arbWindow = fc.record({
          fromS: fc.integer({ min: -60, max: 300 }),
          spanS: fc.integer({ min: 1, max: 700 }),
          bucketS: fc.constantFrom(7, 60, 300),
          org: fc.option(fc.constantFrom('acme', 'globex'), { nil: undefined }),
          top: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        });
        await fc.assert(
          fc.asyncProperty(arbEvents, arbWindow, (events, w) =>
            withFreshStore(async (s) => {
              await s.append(events);
              const query = { from: isoAt(w.fromS), to: isoAt(w.fromS + w.spanS), bucketS: w.bucketS, org: w.org, top: w.top };
              expect(await s.stats(query)).toEqual(expectedStats(events, query));
            }),
          ),
          { numRuns: 30 },
        );
      });
    });

    describe('health', () => {
      it('is healthy while open and not after close', async () => {
        expect(await store.isHealthy()).toBe(true);
        const size = await store.sizeBytes();
        if (size !== undefined) expect(size).toBeGreaterThan(0);
        await store.close();
        expect(await store.isHealthy()).toBe(false);
      });
    });
  });
}
