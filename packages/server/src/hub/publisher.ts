import { type EventDraft, type HeraldEvent, normalizePublishInput } from '@herald/protocol';
import type { Identity } from '../auth/identity.js';
import { isAdmin } from '../auth/identity.js';
import { can } from '../auth/permissions.js';
import type { Bus } from '../bus/bus.js';
import { HeraldError } from '../errors/herald-error.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { EventStore } from '../store/event-store.js';
import type { ReplayBuffer } from './replay-buffer.js';
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
 * id and seq, hand to the bus (live delivery does not wait for the disk),
 * append to the store; the returned promise resolves once the events are
 * durable.
 */
export class Publisher {
  private lastSeq = 0;
  private readonly recentIds = new Map<string, number>();
  private readonly recentOrder: Array<string | undefined> = new Array(RECENT_IDS);
  private recentNext = 0;
  private readonly newId = eventIdFactory();

  constructor(
    private readonly deps: {
      registry: EventRegistry;
      store: EventStore;
      bus: Bus;
      buffer: ReplayBuffer;
      metrics: PublisherMetrics;
      maxBatchEvents: number;
    },
  ) {}

  /** Reads the highest seq from the store; call once before publishing. */
  async init(): Promise<void> {
    this.lastSeq = await this.deps.store.lastSeq();
  }

  /** The newest seq assigned. */
  get headSeq(): number {
    return this.lastSeq;
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

  private async sequenceBatch(
    drafts: Array<Omit<EventDraft, 'id'> & { id?: string }>,
  ): Promise<{ result: PublishResult; fresh: HeraldEvent[]; jsons: string[] }> {
    const supplied = drafts.map((d) => d.id).filter((id): id is string => id !== undefined && !this.recentIds.has(id));
    const stored = supplied.length > 0 ? await this.deps.store.findSeqs(supplied) : undefined;
    // From here to bus.publish nothing awaits: seq order is delivery order.
    const result: PublishResult = { ids: [], seqs: [], duplicates: [] };
    const fresh: HeraldEvent[] = [];
    const started = process.hrtime.bigint();
    for (const draft of drafts) {
      const known = draft.id !== undefined ? (this.recentIds.get(draft.id) ?? stored?.get(draft.id)) : undefined;
      if (known !== undefined) {
        result.ids.push(draft.id!);
        result.seqs.push(known);
        result.duplicates.push(draft.id!);
        continue;
      }
      const event = this.sequence(draft);
      fresh.push(event);
      result.ids.push(event.id);
      result.seqs.push(event.seq);
    }
    const jsons: string[] = [];
    for (const event of fresh) {
      const json = JSON.stringify(event);
      jsons.push(json);
      this.deps.buffer.push({ event, json });
      this.deps.bus.publish(event, json);
    }
    if (fresh.length > 0) {
      this.deps.metrics.recordPublished(fresh.length);
      this.deps.metrics.recordDispatchNs(Number(process.hrtime.bigint() - started) / fresh.length);
    }
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

  private sequence(draft: Omit<EventDraft, 'id'> & { id?: string }): HeraldEvent {
    const seq = ++this.lastSeq;
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

  private async persist(events: HeraldEvent[], jsons: string[]): Promise<void> {
    try {
      await this.deps.store.append(events, jsons);
    } catch (err) {
      throw new HeraldError('store_unavailable', `the events were delivered live but could not be stored: ${(err as Error).message}`, {
        ids: events.map((e) => e.id),
      });
    }
    this.deps.buffer.markDurable(events[events.length - 1]!.seq);
  }
}
