import { type EventDraft, type HeraldEvent, normalizePublishInput } from '@herald/protocol';
import type { Identity } from '../auth/identity.js';
import { isAdmin } from '../auth/identity.js';
import { can } from '../auth/permissions.js';
import type { Bus } from '../bus/bus.js';
import type { SeqSource } from '../bus/seq-source.js';
import { HeraldError } from '../errors/herald-error.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { EventStore } from '../store/event-store.js';
import { ADMIN_ONLY_CATEGORY } from './hub.js';
import { eventIdFactory } from './event-id.js';

/** What a publisher gets back, in the order of its events. */
export interface PublishResult {
  ids: string[];
  seqs: number[];
  /** Ids that were already stored: acknowledged again, neither stored nor delivered twice. */
  duplicates: string[];
}

/** Recently assigned ids kept in memory for the duplicate check, before asking the store. */
const RECENT_IDS = 100_000;

export interface PublisherMetrics {
  recordPublished(count: number): void;
  /** Time from accepting an event to handing it to the local hub, ns. */
  recordDispatchNs(ns: number): void;
}

/**
 * The event's path up to the bus: validate, authorise, de-duplicate, assign
 * id and seq (from the seq source: a local counter, or the cluster's),
 * append to the store (group commit), and once durable hand to the bus, in
 * seq order; the returned promise resolves after that. Nobody sees an event
 * before it is in the log. A batch the store refuses is abandoned on the
 * bus, so no node waits for its seqs.
 */
export class Publisher {
  private readonly recentIds = new Map<string, number>();
  private readonly recentOrder: Array<string | undefined> = new Array(RECENT_IDS);
  private recentNext = 0;
  private readonly newId = eventIdFactory();

  constructor(
    private readonly deps: {
      registry: EventRegistry;
      store: EventStore;
      bus: Bus;
      seqs: SeqSource;
      metrics: PublisherMetrics;
      maxBatchEvents: number;
    },
  ) {}

  /** The newest seq this node has delivered (its own and, in a cluster, every node's). */
  get headSeq(): number {
    return this.deps.bus.deliveredSeq;
  }

  /**
   * Publishes a batch atomically as far as validation goes: one bad event
   * refuses the whole batch with its path (`events[3].type`).
   */
  async publish(identity: Identity, items: readonly unknown[], options: { isBatch: boolean; defaultSource?: string }): Promise<PublishResult> {
    if (items.length === 0) throw new HeraldError('invalid_params', 'events must not be empty', { path: 'events' });
    if (items.length > this.deps.maxBatchEvents) {
      throw new HeraldError('limit_exceeded', `a publish may carry at most ${this.deps.maxBatchEvents} events; split the batch`, {
        path: 'events',
        limit: 'maxBatchEvents',
        max: this.deps.maxBatchEvents,
      });
    }
    const drafts = items.map((raw, i) => this.validate(identity, raw, options.isBatch ? `events[${i}]` : '', options.defaultSource));
    // Publishes are sequenced in the order they arrive, even when one waits for the duplicate check.
    const turn = this.sequencing.then(() => this.sequenceBatch(drafts));
    this.sequencing = turn.then(
      () => undefined,
      () => undefined,
    );
    const { result, fresh, jsons } = await turn;
    if (fresh.length > 0) await this.persist(fresh, jsons);
    return result;
  }

  private sequencing: Promise<void> = Promise.resolve();
  /** Batches reach the bus in the order their seqs were taken, whichever commit finished first. */
  private publishing: Promise<void> = Promise.resolve();

  private async sequenceBatch(
    drafts: Array<Omit<EventDraft, 'id'> & { id?: string }>,
  ): Promise<{ result: PublishResult; fresh: HeraldEvent[]; jsons: string[] }> {
    const supplied = drafts.map((d) => d.id).filter((id): id is string => id !== undefined && !this.recentIds.has(id));
    const stored = supplied.length > 0 ? await this.deps.store.findSeqs(supplied) : undefined;
    const result: PublishResult = { ids: [], seqs: [], duplicates: [] };
    const fresh: HeraldEvent[] = [];
    const freshCount = drafts.filter((d) => d.id === undefined || (this.recentIds.get(d.id) ?? stored?.get(d.id)) === undefined).length;
    // Throws bus_unavailable while the cluster's counter is unreachable: nothing is taken or acknowledged.
    let nextSeq = freshCount > 0 ? await this.deps.seqs.take(freshCount) : 0;
    for (const draft of drafts) {
      const known = draft.id !== undefined ? (this.recentIds.get(draft.id) ?? stored?.get(draft.id)) : undefined;
      if (known !== undefined) {
        result.ids.push(draft.id!);
        result.seqs.push(known);
        result.duplicates.push(draft.id!);
        continue;
      }
      const event = this.sequence(draft, nextSeq++);
      fresh.push(event);
      result.ids.push(event.id);
      result.seqs.push(event.seq);
    }
    const jsons = fresh.map((event) => JSON.stringify(event));
    return { result, fresh, jsons };
  }

  private validate(identity: Identity, raw: unknown, path: string, defaultSource: string | undefined): Omit<EventDraft, 'id'> & { id?: string } {
    const r = normalizePublishInput(raw, { pathPrefix: path, defaultSource: defaultSource ?? identity.id });
    if (!r.ok) throw new HeraldError(r.error.code as 'invalid_event', r.error.message, r.error.details);
    const draft = r.value;
    if (!can(identity, 'publish', draft.type)) {
      throw new HeraldError('forbidden', `publishing "${draft.type}" needs the permission publish:${draft.type} (or a wider one)`, {
        path: path ? `${path}.type` : 'type',
        permission: `publish:${draft.type}`,
      });
    }
    if (!isAdmin(identity)) {
      if (this.deps.registry.categoryFor(draft.type) === ADMIN_ONLY_CATEGORY) {
        // The audit trail must be Herald's own word: nobody else writes into it.
        throw new HeraldError('forbidden', `"${draft.type}" is in the audit category, which only Herald and admins may publish`, {
          path: path ? `${path}.type` : 'type',
          permission: 'admin',
        });
      }
      if (draft.org !== undefined && draft.org !== identity.org) {
        throw new HeraldError('forbidden', `you may publish only into your own org${identity.org ? ` ("${identity.org}")` : ''}`, {
          path: path ? `${path}.org` : 'org',
        });
      }
      // A non-admin's events stay inside their org unless they have none.
      if (draft.org === undefined && identity.org !== undefined) draft.org = identity.org;
    }
    return draft;
  }

  private sequence(draft: Omit<EventDraft, 'id'> & { id?: string }, seq: number): HeraldEvent {
    const id = draft.id ?? this.newId();
    const type = draft.type;
    const category = this.deps.registry.categoryFor(type);
    const { source, time, severity, priority, correlation_id, org, data } = draft;
    // One literal per shape: fixed key order keeps the JSON stable, and V8 keeps each shape fast.
    const event: HeraldEvent =
      correlation_id === undefined
        ? org === undefined
          ? { id, seq, type, category, source, time, severity, priority, data }
          : { id, seq, type, category, source, time, severity, priority, org, data }
        : org === undefined
          ? { id, seq, type, category, source, time, severity, priority, correlation_id, data }
          : { id, seq, type, category, source, time, severity, priority, correlation_id, org, data };
    this.rememberId(id, seq);
    return event;
  }

  /** Keeps the newest RECENT_IDS ids for the duplicate check, oldest out first. */
  private rememberId(id: string, seq: number): void {
    this.recentIds.set(id, seq);
    const slot = this.recentNext;
    const evicted = this.recentOrder[slot];
    if (evicted !== undefined && this.recentIds.get(evicted) !== undefined && evicted !== id) this.recentIds.delete(evicted);
    this.recentOrder[slot] = id;
    this.recentNext = (slot + 1) % RECENT_IDS;
  }

  /**
   * Appends, then publishes in seq order once durable. The publish of a batch
   * waits for the batches sequenced before it, so one node's events reach the
   * bus in seq order even when group commits finish out of order.
   */
  private async persist(events: HeraldEvent[], jsons: string[]): Promise<void> {
    const appended = this.deps.store.append(events, jsons).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    const turn = this.publishing.then(async () => {
      const failure = await appended;
      if (failure) {
        this.deps.bus.abandon(events.map((e) => e.seq));
        return failure;
      }
      const started = process.hrtime.bigint();
      for (let i = 0; i < events.length; i++) this.deps.bus.publish(events[i]!, jsons[i]!);
      this.deps.metrics.recordPublished(events.length);
      this.deps.metrics.recordDispatchNs(Number(process.hrtime.bigint() - started) / events.length);
      return undefined;
    });
    this.publishing = turn.then(
      () => undefined,
      () => undefined,
    );
    const failure = await turn;
    if (failure) {
      // A retry with the same ids must store them, not be told they already are.
      for (const e of events) if (this.recentIds.get(e.id) === e.seq) this.recentIds.delete(e.id);
      if (failure instanceof HeraldError && failure.code === 'invalid_event') throw failure;
      throw new HeraldError('store_unavailable', `the event store could not make the events durable, so nothing was acknowledged: ${failure.message}`, {
        ids: events.map((e) => e.id),
        retry_after_ms: 1_000,
      });
    }
  }
}
