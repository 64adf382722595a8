import type { HeraldEvent } from '@herald/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Identity } from '../auth/identity.js';
import { MemoryBus } from '../bus/memory-bus.js';
import { MemorySeqSource } from '../bus/memory-seq-source.js';
import { HeraldError } from '../errors/herald-error.js';
import { EventRegistry } from '../registry/event-registry.js';
import { SqliteEventStore } from '../store/sqlite-event-store.js';
import { Publisher } from './publisher.js';
import { ReplayBuffer } from './replay-buffer.js';

const ADMIN: Identity = { id: 'svc', kind: 'admin', orgs: [], permissions: ['admin'] };

/**
 * A real SQLite store whose next appends fail: either before writing, or
 * after committing (a connection lost during COMMIT: the outcome is unknown
 * to the caller, but the rows are there).
 */
class FailingStore extends SqliteEventStore {
  failures: Array<'before' | 'after-commit' | 'refuse'> = [];

  override async append(events: readonly HeraldEvent[], jsons?: readonly string[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure === 'refuse') throw new HeraldError('invalid_event', 'the store refuses this row');
    if (failure === 'after-commit') await super.append(events, jsons);
    // A failure takes a while to show, as a dropped connection does: later publishes are sequenced meanwhile.
    if (failure === 'before') await new Promise((r) => setTimeout(r, 20));
    if (failure) throw new HeraldError('store_unavailable', 'connection lost during COMMIT');
    return super.append(events, jsons);
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

async function refusalOf(promise: Promise<unknown>): Promise<HeraldError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HeraldError);
  return err as HeraldError;
}

describe('Publisher', () => {
  const stops: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function setUp() {
    const store = new FailingStore({ path: ':memory:' });
    await store.open();
    const bus = new MemoryBus();
    const seen: HeraldEvent[] = [];
    const buffer = new ReplayBuffer(100);
    // As Herald wires it: what the bus delivers joins the replay buffer.
    await bus.start((event, json) => {
      buffer.push({ event, json });
      seen.push(event);
    }, 0);
    const refused = { count: 0 };
    const publisher = new Publisher({
      registry: new EventRegistry(),
      store,
      bus,
      seqs: new MemorySeqSource(await store.lastSeq()),
      metrics: { recordPublished: () => undefined, recordDispatchNs: () => undefined, recordRefused: (n) => (refused.count += n) },
      maxBatchEvents: 100,
    });
    stops.push(
      () => publisher.stop(),
      () => store.close(),
    );
    const publish = (...ids: string[]) =>
      publisher.publish(
        ADMIN,
        ids.map((id) => ({ id, type: 'unit.test' })),
        { isBatch: true },
      );
    return { store, seen, buffer, publisher, publish, refused };
  }

  it('refuses a publish whose commit outcome is unknown, then delivers it once with its seq and acknowledges its retry as a duplicate', async () => {
    const { store, seen, buffer, publisher, publish, refused } = await setUp();
    await publish('before');
    store.failures.push('after-commit');
    const err = await refusalOf(publish('lost'));
    expect(err.code).toBe('store_unavailable');
    expect(err.details?.retry_after_ms).toBeGreaterThanOrEqual(1000);
    expect(seen.map((e) => e.id)).toEqual(['before']);
    expect(publisher.storeState).toMatchObject({ isWritable: false, reason: expect.stringContaining('COMMIT') });

    // Degraded: refused at once, without taking a seq.
    expect((await refusalOf(publish('meanwhile'))).code).toBe('store_unavailable');
    expect(refused.count).toBe(2);

    await until(() => publisher.storeState.isWritable);
    expect(seen.map((e) => [e.id, e.seq])).toEqual([
      ['before', 1],
      ['lost', 2],
    ]);
    expect(publisher.headSeq).toBe(2);
    expect(buffer.size).toBe(2);
    expect(await publish('lost')).toEqual({ ids: ['lost'], seqs: [2], duplicates: ['lost'] });
    expect((await publish('after')).seqs).toEqual([3]);
    expect((await store.readAfter(0, 10)).map((e) => [e.id, e.seq])).toEqual([
      ['before', 1],
      ['lost', 2],
      ['after', 3],
    ]);
  });

  it('holds a failed batch and the batches behind it, and writes them again in order once the store takes writes', async () => {
    const { store, seen, publisher, publish } = await setUp();
    store.failures.push('before', 'before');
    const first = refusalOf(publish('a1', 'a2'));
    const second = refusalOf(publish('b1'));
    expect((await first).code).toBe('store_unavailable');
    expect((await second).code).toBe('store_unavailable');
    await until(() => publisher.storeState.isWritable);
    expect(seen.map((e) => [e.id, e.seq])).toEqual([
      ['a1', 1],
      ['a2', 2],
      ['b1', 3],
    ]);
    expect(await store.count()).toBe(3);
  });

  it('acknowledges a second publish of an id still being written only once the first is durable, delivering it once', async () => {
    const { seen, publish } = await setUp();
    const [first, second] = await Promise.all([publish('twice'), publish('twice')]);
    expect(first).toEqual({ ids: ['twice'], seqs: [1], duplicates: [] });
    expect(second).toEqual({ ids: ['twice'], seqs: [1], duplicates: ['twice'] });
    expect(seen.map((e) => e.id)).toEqual(['twice']);
  });

  it('answers a batch the store refuses for good with that error, without degrading; its seqs are never delivered', async () => {
    const { store, seen, publisher, publish } = await setUp();
    store.failures.push('refuse');
    expect((await refusalOf(publish('bad'))).code).toBe('invalid_event');
    expect(publisher.storeState.isWritable).toBe(true);
    expect((await publish('good')).seqs).toEqual([2]);
    expect(seen.map((e) => [e.id, e.seq])).toEqual([['good', 2]]);
  });

  describe('on a log other nodes append to', () => {
    /** A real store on a file another node also writes; `afterLookup` runs once the duplicate check has answered. */
    class InterleavedStore extends SqliteEventStore {
      afterLookup: (() => Promise<void>) | undefined;
      override async findSeqs(ids: readonly string[]): Promise<Map<string, number>> {
        const found = await super.findSeqs(ids);
        const hook = this.afterLookup;
        this.afterLookup = undefined;
        if (hook) await hook();
        return found;
      }
    }

    it('answers with the stored copy and delivers nothing when another node stored the same new id first', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'herald-shared-log-'));
      const path = join(dir, 'herald.db');
      const ours = new InterleavedStore({ path });
      const theirs = new SqliteEventStore({ path });
      await ours.open();
      await theirs.open();
      stops.push(async () => {
        await ours.close();
        await theirs.close();
        rmSync(dir, { recursive: true, force: true });
      });
      const bus = new MemoryBus();
      const seen: HeraldEvent[] = [];
      await bus.start((event) => seen.push(event), 0);
      const publisher = new Publisher({
        registry: new EventRegistry(),
        store: ours,
        bus,
        // The cluster's counter: the other node took seq 1, this one gets 2 and 3.
        seqs: new MemorySeqSource(1),
        metrics: { recordPublished: () => undefined, recordDispatchNs: () => undefined, recordRefused: () => undefined },
        maxBatchEvents: 100,
        isSharedLog: true,
      });
      stops.push(() => publisher.stop());
      // Between this node's duplicate check and its append, the other node commits the same id under seq 1.
      ours.afterLookup = async () => {
        const time = new Date().toISOString();
        const event: HeraldEvent = {
          id: 'retried',
          seq: 1,
          type: 'unit.test',
          category: 'unit',
          source: 'other-node',
          time,
          severity: 'info',
          priority: 'normal',
          data: {},
        };
        await theirs.append([event]);
      };
      const result = await publisher.publish(
        ADMIN,
        [
          { id: 'retried', type: 'unit.test' },
          { id: 'fresh', type: 'unit.test' },
        ],
        { isBatch: true },
      );

      expect(result).toEqual({ ids: ['retried', 'fresh'], seqs: [1, 3], duplicates: ['retried'] });
      // Only the event the log holds under this node's seq was delivered here; the other copy is the other node's to deliver.
      expect(seen.map((e) => [e.id, e.seq])).toEqual([['fresh', 3]]);
      expect((await ours.readAfter(0, 10)).map((e) => [e.id, e.seq, e.source])).toEqual([
        ['retried', 1, 'other-node'],
        ['fresh', 3, 'svc'],
      ]);
      // A later retry of the id is acknowledged with the stored seq, without a lookup.
      expect(await publisher.publish(ADMIN, [{ id: 'retried', type: 'unit.test' }], { isBatch: true })).toEqual({
        ids: ['retried'],
        seqs: [1],
        duplicates: ['retried'],
      });
    });
  });
});
