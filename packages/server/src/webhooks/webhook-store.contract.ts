import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDefinition, WebhookDelivery, WebhookStore } from './webhook-store.js';

/** What a contract run needs from an implementation. */
export interface WebhookStoreFixture {
  /** A store not opened yet; the suite opens and closes it. */
  store: WebhookStore;
  /** A second, unopened store over the same data (another node, or the same node after a restart). */
  reopen(): WebhookStore;
  cleanup(): Promise<void>;
}

export function makeDefinition(id: string, overrides: Partial<WebhookDefinition> = {}): WebhookDefinition {
  return { id, url: `https://hooks.example/${id}`, event_types: ['repo.*'], format: 'herald', maxAttempts: 8, timeoutMs: 10_000, origin: 'api', ...overrides };
}

function delivery(webhookId: string, seq: number, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    webhook_id: webhookId,
    event_seq: seq,
    event_id: `e${seq}`,
    event_type: 'repo.push',
    status: 'delivered',
    attempts: 1,
    response_code: 200,
    latency_ms: 12,
    error: null,
    created_at: '2026-11-21T12:00:00.000Z',
    updated_at: '2026-11-21T12:00:01.000Z',
    ...overrides,
  };
}

/** The {@link WebhookStore} contract, run against one implementation. */
export function describeWebhookStoreContract(name: string, makeFixture: () => Promise<WebhookStoreFixture>): void {
  describe(`WebhookStore contract: ${name}`, () => {
    let fixture: WebhookStoreFixture;
    let store: WebhookStore;
    const extra: WebhookStore[] = [];

    const other = async () => {
      const s = fixture.reopen();
      await s.open();
      extra.push(s);
      return s;
    };

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
      await store.open();
    });

    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
      await fixture.cleanup();
    });

    describe('upsert', () => {
      it('creates an active webhook at the given cursor and reads it back whole', async () => {
        const definition = makeDefinition('wh_1', { filters: { severity: ['error'] }, org: 'acme', secret: 's'.repeat(16), description: 'CI' });
        const created = await store.upsert(definition, 41);
        expect(created).toMatchObject({ ...definition, status: 'active', cursor: 41 });
        expect(created.status_reason).toBeUndefined();
        expect(await store.get('wh_1')).toEqual(created);
        expect(await store.list()).toEqual([created]);
      });

      it('replaces the definition of an existing webhook and keeps its status and cursor', async () => {
        await store.upsert(makeDefinition('wh_1'), 5);
        await store.advanceCursor('wh_1', 9);
        await store.setStatus('wh_1', 'paused', 'maintenance');
        const updated = await store.upsert(makeDefinition('wh_1', { url: 'https://other.example/' }), 0);
        expect(updated).toMatchObject({ url: 'https://other.example/', cursor: 9, status: 'paused', status_reason: 'maintenance' });
      });
    });

    describe('cursor', () => {
      it('only moves forward', async () => {
        await store.upsert(makeDefinition('wh_1'), 10);
        await store.advanceCursor('wh_1', 7);
        expect((await store.get('wh_1'))?.cursor).toBe(10);
        await store.advanceCursor('wh_1', 12);
        expect((await store.get('wh_1'))?.cursor).toBe(12);
      });

      it('moves with the delivery row that names it, and is seen by a reopened store', async () => {
        await store.upsert(makeDefinition('wh_1'), 0);
        await store.recordDelivery(delivery('wh_1', 3, { status: 'pending', response_code: 500 }));
        expect((await store.get('wh_1'))?.cursor).toBe(0);
        await store.recordDelivery(delivery('wh_1', 3), 3);
        const again = await other();
        expect((await again.get('wh_1'))?.cursor).toBe(3);
        expect(await again.getDelivery('wh_1', 3)).toEqual(delivery('wh_1', 3));
      });
    });

    describe('status', () => {
      it('sets and clears the reason, and says when there is no such webhook', async () => {
        await store.upsert(makeDefinition('wh_1'), 0);
        expect(await store.setStatus('wh_1', 'disabled', 'the receiver answered 410 Gone')).toBe(true);
        expect(await store.get('wh_1')).toMatchObject({ status: 'disabled', status_reason: 'the receiver answered 410 Gone' });
        await store.setStatus('wh_1', 'active');
        expect((await store.get('wh_1'))?.status_reason).toBeUndefined();
        expect(await store.setStatus('nope', 'paused')).toBe(false);
      });
    });

    describe('deliveries', () => {
      it('keeps one row per event, replaced by every attempt, newest event first, filtered by status and paged by seq', async () => {
        await store.upsert(makeDefinition('wh_1'), 0);
        await store.upsert(makeDefinition('wh_2'), 0);
        for (const seq of [1, 2, 3, 4]) await store.recordDelivery(delivery('wh_1', seq, { status: 'pending', attempts: 1 }));
        await store.recordDelivery(delivery('wh_1', 2, { status: 'dead', attempts: 8, response_code: null, error: 'timed out' }), 2);
        await store.recordDelivery(delivery('wh_2', 9));
        const all = await store.deliveries('wh_1', { limit: 10 });
        expect(all.map((d) => d.event_seq)).toEqual([4, 3, 2, 1]);
        expect(all[2]).toEqual(delivery('wh_1', 2, { status: 'dead', attempts: 8, response_code: null, error: 'timed out' }));
        expect((await store.deliveries('wh_1', { limit: 10, status: 'dead' })).map((d) => d.event_seq)).toEqual([2]);
        expect((await store.deliveries('wh_1', { limit: 2, beforeSeq: 4 })).map((d) => d.event_seq)).toEqual([3, 2]);
        expect(await store.getDelivery('wh_1', 9)).toBeUndefined();
      });

      it('prunes delivered rows beyond the newest ones and keeps every dead letter', async () => {
        await store.upsert(makeDefinition('wh_1'), 0);
        for (let seq = 1; seq <= 10; seq++) await store.recordDelivery(delivery('wh_1', seq, { status: seq % 4 === 0 ? 'dead' : 'delivered' }));
        expect(await store.pruneDelivered('wh_1', 3)).toBe(5);
        expect((await store.deliveries('wh_1', { limit: 20 })).map((d) => d.event_seq)).toEqual([10, 9, 8, 7, 4]);
        expect(await store.pruneDelivered('wh_1', 3)).toBe(0);
      });
    });

    describe('remove', () => {
      it('deletes the webhook with its deliveries and lease', async () => {
        await store.upsert(makeDefinition('wh_1'), 0);
        await store.recordDelivery(delivery('wh_1', 1));
        expect(await store.acquireLease('wh_1', 'node-a', 60_000)).toBe(true);
        expect(await store.remove('wh_1')).toBe(true);
        expect(await store.get('wh_1')).toBeUndefined();
        expect(await store.deliveries('wh_1', { limit: 10 })).toEqual([]);
        expect(await store.remove('wh_1')).toBe(false);
        // A webhook made again under the same id starts without the old lease.
        await store.upsert(makeDefinition('wh_1'), 0);
        expect(await store.acquireLease('wh_1', 'node-b', 60_000)).toBe(true);
      });
    });

    describe('acquireLease', () => {
      it('lets one holder at a time have an unexpired lease, renewable by that holder only, across stores', async () => {
        const b = await other();
        await store.upsert(makeDefinition('wh_1'), 0);
        expect(await store.acquireLease('wh_1', 'node-a', 60_000)).toBe(true);
        expect(await b.acquireLease('wh_1', 'node-b', 60_000)).toBe(false);
        expect(await store.acquireLease('wh_1', 'node-a', 60_000)).toBe(true);
        await b.releaseLease('wh_1', 'node-b');
        expect(await b.acquireLease('wh_1', 'node-b', 60_000)).toBe(false);
        await store.releaseLease('wh_1', 'node-a');
        expect(await b.acquireLease('wh_1', 'node-b', 60_000)).toBe(true);
      });

      it('passes an expired lease to the next holder', async () => {
        await store.upsert(makeDefinition('wh_1'), 0);
        expect(await store.acquireLease('wh_1', 'node-a', 1)).toBe(true);
        await new Promise((r) => setTimeout(r, 20));
        expect(await store.acquireLease('wh_1', 'node-b', 60_000)).toBe(true);
        expect(await store.acquireLease('wh_1', 'node-a', 60_000)).toBe(false);
      });

      it('gives exactly one of many concurrent contenders the lease', async () => {
        await store.upsert(makeDefinition('wh_1'), 0);
        const b = await other();
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? b : store).acquireLease('wh_1', `node-${i}`, 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });
  });
}
