import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KvStore } from './kv-store.js';

/** What a contract run needs from an engine. */
export interface KvStoreFixture {
  /** A store not opened yet; the suite opens and closes it. */
  store: KvStore;
  /** Removes what the fixture made (files, schemas); runs after the store is closed. */
  cleanup(): Promise<void>;
  /** A new, unopened store over the same data. */
  reopen(): KvStore;
}

const NOW = Date.parse('2026-11-21T12:00:00.000Z');

/** The KvStore contract (see kv-store.ts), run against one engine. */
export function describeKvStoreContract(name: string, makeFixture: () => KvStoreFixture | Promise<KvStoreFixture>): void {
  describe(`KvStore contract: ${name}`, () => {
    let fixture: KvStoreFixture;
    let store: KvStore;
    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
      await store.open();
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it('reads back what was set, and a second set replaces value and expiry', async () => {
      await store.set('acme', 'a', '{"n":1}', NOW + 1000, NOW);
      expect(await store.get('acme', 'a', NOW)).toEqual({ key: 'a', valueJson: '{"n":1}', expiresAtMs: NOW + 1000, updatedAtMs: NOW });
      await store.set('acme', 'a', '[2]', null, NOW + 5);
      expect(await store.get('acme', 'a', NOW + 5000)).toEqual({ key: 'a', valueJson: '[2]', expiresAtMs: null, updatedAtMs: NOW + 5 });
    });

    it('hides an expired key from get, list, delete and totals before any sweep', async () => {
      await store.set('acme', 'gone', '1', NOW + 10, NOW);
      await store.set('acme', 'kept', '22', null, NOW);
      const later = NOW + 10;
      expect(await store.get('acme', 'gone', later)).toBeUndefined();
      expect((await store.list('acme', { limit: 10 }, later)).entries.map((e) => e.key)).toEqual(['kept']);
      expect(await store.totals(later)).toEqual({ keys: 1, bytes: 2 });
      expect(await store.delete('acme', 'gone', later)).toBe(false);
    });

    it('sweeps expired keys and counts them', async () => {
      await store.set('acme', 'x', '1', NOW + 1, NOW);
      await store.set('globex', 'y', '1', NOW + 1, NOW);
      await store.set('acme', 'z', '1', null, NOW);
      expect(await store.sweep(NOW + 1)).toBe(2);
      expect(await store.sweep(NOW + 1)).toBe(0);
      expect(await store.totals(NOW)).toEqual({ keys: 1, bytes: 1 });
    });

    it('keeps orgs apart, the org-less namespace included', async () => {
      await store.set('acme', 'k', '"acme"', null, NOW);
      await store.set('', 'k', '"none"', null, NOW);
      expect((await store.get('globex', 'k', NOW))?.valueJson).toBeUndefined();
      expect((await store.get('', 'k', NOW))?.valueJson).toBe('"none"');
      expect(await store.delete('globex', 'k', NOW)).toBe(false);
      expect(await store.delete('acme', 'k', NOW)).toBe(true);
      expect((await store.get('', 'k', NOW))?.valueJson).toBe('"none"');
    });

    it('lists by literal, case-sensitive prefix in byte order', async () => {
      for (const key of ['user:2', 'user:10', 'User:1', 'user_x', 'users', 'a%b', 'a_b', 'ab']) await store.set('o', key, '0', null, NOW);
      const keys = async (prefix: string) => (await store.list('o', { prefix, limit: 50 }, NOW)).entries.map((e) => e.key);
      expect(await keys('user:')).toEqual(['user:10', 'user:2']);
      expect(await keys('user')).toEqual(['user:10', 'user:2', 'user_x', 'users']);
      expect(await keys('a_')).toEqual(['a_b']);
      expect(await keys('a%')).toEqual(['a%b']);
      expect(await keys('')).toEqual(['User:1', 'a%b', 'a_b', 'ab', 'user:10', 'user:2', 'user_x', 'users']);
    });

    it('keeps its keys across a reopen', async () => {
      await store.set('o', 'durable', '{"ok":true}', NOW + 60_000, NOW);
      await store.close();
      store = fixture.reopen();
      await store.open();
      expect((await store.get('o', 'durable', NOW))?.valueJson).toBe('{"ok":true}');
    });

    it('pages through any set of keys exactly once, in order, like a sorted map', async () => {
      const keyArb = fc.stringMatching(/^[a-c:_.]{1,4}$/);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ key: keyArb, ttl: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }) }), { maxLength: 25 }),
          fc.stringMatching(/^[a-c]{0,2}$/),
          fc.integer({ min: 1, max: 6 }),
          async (writes, prefix, limit) => {
            const org = `p${Math.random().toString(36).slice(2, 10)}`;
            const model = new Map<string, boolean>();
            for (const w of writes) {
              await store.set(org, w.key, '1', w.ttl === null ? null : NOW + w.ttl, NOW);
              model.set(w.key, w.ttl === null || w.ttl > 0);
            }
            const expected = [...model]
              .filter(([k, live]) => live && k.startsWith(prefix))
              .map(([k]) => k)
              .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            const seen: string[] = [];
            let cursor: string | undefined;
            for (let page = 0; page < 30; page++) {
              const r = await store.list(org, cursor === undefined ? { prefix, limit } : { prefix, limit, cursor }, NOW);
              expect(r.entries.length).toBeLessThanOrEqual(limit);
              seen.push(...r.entries.map((e) => e.key));
              if (r.nextCursor === null) break;
              cursor = r.nextCursor;
            }
            expect(seen).toEqual(expected);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
}
