import { type EventDraft, type HeraldEvent, normalizePublishInput } from '@herald/protocol';
import type { Identity } from '../auth/identity.js';
import { isAdmin } from '../auth/identity.js';
import { can } from '../auth/permissions.js';
import type { Bus } from '../bus/bus.js';
import type { SeqSource } from '../bus/seq-source.js';
import { HeraldError } from '../errors/herald-error.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { EventStore } from '../store/event-store.js';
import { InOrderDelivery, type PendingBatch, pendingBatch } from './in-order-delivery.js';
import { RecentIds } from './recent-ids.js';
import { StoreOutage, type StoreState } from './store-outage.js';
import { ADMIN_ONLY_CATEGORY } from './hub.js';
import { eventIdFactory } from './event-id.js';

/** What a publisher gets back, in the order of its events. */
export interface PublishResult {
  ids: string[];
  seqs: number[];
  /** Ids that were already stored: acknowledged again, neither stored nor delivered twice. */
  duplicates: string[];
}

export type { StoreState };

/** Durable ids kept in memory for the duplicate check, before asking the store. */
const RECENT_IDS = 100_000;

export interface PublisherMetrics {
  recordPublished(count: number): void;
  /** Time from sequencing an event to handing it, durable, to the local hub, ns. */
  recordDispatchNs(ns: number): void;
  /** A publish refused because the store could not take writes. */
  recordRefused(count: number): void;
}

type Draft = Omit<EventDraft, 'id'> & { id?: string };

/** What `sequenceBatch` decided for a batch's drafts (undefined: all new), and its seqs to come. */
interface Reserved {
  decisions: Decision[] | undefined;
  firstSeq: Promise<number>;
}

type Decision = { kind: 'fresh' } | { kind: 'known'; seq: number; pending: PendingBatch | undefined } | { kind: 'repeat'; of: number };

const FRESH: Decision = { kind: 'fresh' };

/** True when an append failed for a reason that will not pass by itself: nothing of it was stored. */
function isRefusal(err: unknown): boolean {
  return err instanceof HeraldError && err.code !== 'store_unavailable';
}

/**
 * The event's path up to the bus: validate, authorise, de-duplicate, assign
 * id and seq (from the seq source: this node's counter, or the cluster's),
 * append to the store, and only once the append is durable hand the events
 * to the bus, in seq order across concurrent publishes; the bus feeds the
 * replay buffer and the hub. The returned promise resolves after that.
 * Nobody, live or replaying, sees an event the log lacks.
 *
 * When an append fails or its outcome is unknown, its batch and every later
 * undelivered batch are held and their publishers get `store_unavailable`;
 * new publishes are refused the same way until a recovery loop has written
 * the held events again (idempotently, by id) and delivered them, so each
 * seq keeps naming the event it was given to.
 */
export class Publisher {
  private readonly known = new RecentIds(RECENT_IDS);
  /** Supplied ids of events sequenced but not yet delivered, with their batch (generated ids cannot be named by anyone yet). */
  private readonly inFlight = new Map<string, { seq: number; batch: PendingBatch }>();
  private readonly delivery = new InOrderDelivery((batch) => this.deliver(batch));
  private readonly outage: StoreOutage;
  private readonly newId = eventIdFactory();
  private sequencing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      registry: EventRegistry;
      store: EventStore;
      bus: Bus;
      seqs: SeqSource;
      metrics: PublisherMetrics;
      maxBatchEvents: number;
      /**
       * True when other nodes append to the same log (a cluster): after each
       * append the supplied ids are checked against the store, since another
       * node may have stored the same new id first.
       */
      isSharedLog?: boolean;
      logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void; error(obj: object, msg: string): void };
    },
  ) {
    this.outage = new StoreOutage({ recover: () => this.rewriteHeld(), logger: deps.logger, storeName: deps.store.description });
  }

  /**
   * The newest seq this node has delivered (its own events and, in a
   * cluster, every node's): every event up to it is durable and in the
   * replay buffer. Welcome and replay hand-over use it.
   */
  get headSeq(): number {
    return this.deps.bus.deliveredSeq;
  }

  /** Whether the store takes writes, and why not. */
  get storeState(): StoreState {
    return this.outage.state;
  }

  /** Stops the recovery loop; held events stay unacknowledged. */
  stop(): void {
    this.outage.stop();
  }

  /**
   * Publishes a batch atomically as far as validation goes: one bad event
   * refuses the whole batch with its path (`events[3].type`). Resolves once
   * every event is durable and delivered; rejects with `store_unavailable`
   * when that cannot be said (retry with the same ids).
   */
  async publish(
    identity: Identity,
    items: readonly unknown[],
    options: { isBatch: boolean; defaultSource?: string },
  ): Promise<PublishResult> {
    if (items.length === 0) throw new HeraldError('invalid_params', 'events must not be empty', { path: 'events' });
    if (items.length > this.deps.maxBatchEvents) {
      throw new HeraldError('limit_exceeded', `a publish may carry at most ${this.deps.maxBatchEvents} events; split the batch`, {
        path: 'events',
        limit: 'maxBatchEvents',
        max: this.deps.maxBatchEvents,
      });
    }
    const drafts = items.map((raw, i) => this.validate(identity, raw, options.isBatch ? `events[${i}]` : '', options.defaultSource));
    this.refuseDuringOutage(items.length);
    // Publishes are sequenced in the order they arrive, even when one waits for the duplicate check.
    const written = this.assigning;
    const turn = this.sequencing.then(() => this.sequenceBatch(drafts, written));
    this.sequencing = turn.then(
      () => undefined,
      () => undefined,
    );
    // Seqs are taken in arrival order without waiting for the previous take's answer (the
    // counter answers in order); events are built and written strictly in that same order.
    const assigned = this.assigning.then(() => turn).then((reserved) => this.assign(drafts, reserved));
    this.assigning = assigned.then(
      () => undefined,
      () => undefined,
    );
    const { result, waits, batch } = await assigned;
    for (const wait of waits) await wait;
    if (batch?.lost) answerWithStoredCopies(result, batch.lost);
    return result;
  }

  /** Batches whose seqs are taken but whose events are not yet built and written, chained in seq order. */
  private assigning: Promise<void> = Promise.resolve();

  private refuseDuringOutage(count: number): void {
    const refusal = this.outage.refusal();
    if (!refusal) return;
    this.deps.metrics.recordRefused(count);
    throw refusal;
  }

  /**
   * Decides which events are new and asks for their seqs, in arrival order.
   * A batch naming its own ids first waits for every batch before it to be
   * written, so that an id published twice at once is recognised; its
   * decisions are fixed here and `assign` follows them.
   */
  private async sequenceBatch(drafts: Draft[], earlierWritten: Promise<void>): Promise<Reserved> {
    const hasIds = drafts.some((d) => d.id !== undefined);
    if (hasIds) await earlierWritten;
    const supplied = drafts
      .map((d) => d.id)
      .filter((id): id is string => id !== undefined && !this.known.has(id) && !this.inFlight.has(id));
    let stored: Map<string, number> | undefined;
    try {
      stored = supplied.length > 0 ? await this.deps.store.findSeqs(supplied) : undefined;
    } catch (err) {
      this.deps.metrics.recordRefused(drafts.length);
      throw this.outage.unavailable(err, 'the duplicate check could not read the store');
    }
    this.refuseDuringOutage(drafts.length);
    const decisions = hasIds ? this.decide(drafts, stored) : undefined;
    const fresh = decisions ? decisions.filter((d) => d.kind === 'fresh').length : drafts.length;
    const firstSeq = fresh > 0 ? this.deps.seqs.take(fresh) : Promise.resolve(0);
    // Observed here so that a refusal is not reported unhandled before assign awaits it.
    firstSeq.catch(() => this.deps.metrics.recordRefused(drafts.length));
    return { decisions, firstSeq };
  }

  /** For each draft: new, already known (acknowledged, stored or in flight), or a repeat of an earlier draft of the batch. */
  private decide(drafts: Draft[], stored: Map<string, number> | undefined): Decision[] {
    const firstIndex = new Map<string, number>();
    return drafts.map(({ id }, i): Decision => {
      if (id === undefined) return { kind: 'fresh' };
      const pending = this.inFlight.get(id);
      const seq = this.known.get(id) ?? stored?.get(id) ?? pending?.seq;
      if (seq !== undefined) return { kind: 'known', seq, pending: pending?.batch };
      const earlier = firstIndex.get(id);
      if (earlier !== undefined) return { kind: 'repeat', of: earlier };
      firstIndex.set(id, i);
      return { kind: 'fresh' };
    });
  }

  /** Builds the batch's events on the seqs taken for it and writes them; runs in seq order. */
  private async assign(
    drafts: Draft[],
    reserved: Reserved,
  ): Promise<{ result: PublishResult; waits: Array<Promise<void>>; batch?: PendingBatch }> {
    // Rejects with bus_unavailable while the cluster's counter is unreachable: nothing was taken or acknowledged.
    let nextSeq = await reserved.firstSeq;
    const result: PublishResult = { ids: [], seqs: [], duplicates: [] };
    const waits = new Set<Promise<void>>();
    const fresh: HeraldEvent[] = [];
    const supplied: string[] = [];
    drafts.forEach((draft, i) => {
      const decision = reserved.decisions?.[i] ?? FRESH;
      if (decision.kind === 'fresh') {
        const event = this.sequence(draft, nextSeq++);
        fresh.push(event);
        if (draft.id !== undefined) supplied.push(draft.id);
        result.ids.push(event.id);
        result.seqs.push(event.seq);
        return;
      }
      // Acknowledged again, but only once the first publish of it is durable.
      if (decision.kind === 'known' && decision.pending) waits.add(decision.pending.outcome);
      result.ids.push(draft.id!);
      result.seqs.push(decision.kind === 'known' ? decision.seq : result.seqs[decision.of]!);
      result.duplicates.push(draft.id!);
    });
    if (fresh.length === 0) return { result, waits: [...waits] };
    const batch = this.write(fresh, supplied);
    waits.add(batch.outcome);
    return { result, waits: [...waits], batch };
  }

  /** Queues the events for delivery in seq order and appends them; the batch's outcome settles when they are delivered or held. */
  private write(events: HeraldEvent[], suppliedIds: readonly string[]): PendingBatch {
    const batch = pendingBatch(
      events,
      events.map((event) => JSON.stringify(event)),
    );
    batch.sequencedAtNs = process.hrtime.bigint();
    if (suppliedIds.length > 0) {
      batch.suppliedIds = suppliedIds;
      const seqOf = new Map(events.map((e) => [e.id, e.seq]));
      for (const id of suppliedIds) this.inFlight.set(id, { seq: seqOf.get(id)!, batch });
    }
    this.delivery.add(batch);
    this.appendAndCheck(batch).then(
      () => this.delivery.markDurable(batch),
      (err: unknown) => this.onWriteFailed(batch, err),
    );
    return batch;
  }

  /**
   * Appends the batch; in a cluster, then finds the supplied ids another
   * node stored first under its own seq (the store keeps the first copy of
   * an id and skips ours). Those are marked lost: not delivered, their seqs
   * abandoned, their publishers answered with the stored seq.
   */
  private async appendAndCheck(batch: PendingBatch): Promise<void> {
    await this.deps.store.append(batch.events, batch.jsons);
    const ids = batch.suppliedIds;
    if (!this.deps.isSharedLog || !ids) return;
    const stored = await this.deps.store.findSeqs(ids);
    const ours = new Map(batch.events.map((e) => [e.id, e.seq]));
    for (const id of ids) {
      const seq = stored.get(id);
      if (seq !== undefined && seq !== ours.get(id)) (batch.lost ??= new Map()).set(id, seq);
    }
  }

  private onWriteFailed(batch: PendingBatch, err: unknown): void {
    if (isRefusal(err)) {
      // Nothing of it was stored: its seqs stay unused, no node waits for them, and those behind it go on.
      this.forgetInFlight(batch);
      this.deps.bus.abandon(batch.events.map((e) => e.seq));
      batch.reject(err);
      this.delivery.remove(batch);
      return;
    }
    if (batch.state === 'durable') return;
    const refusal = this.outage.begin(err);
    // Delivery is in seq order: everything behind the failed batch waits with it.
    const behind = this.delivery.undelivered();
    for (const held of behind.slice(behind.indexOf(batch))) {
      if (held.state === 'writing') held.state = 'held';
      if (held.isRefused) continue;
      held.isRefused = true;
      this.deps.metrics.recordRefused(held.events.length);
      held.reject(refusal);
    }
    batch.state = 'held';
  }

  /**
   * The recovery step: writes every held batch again (one group commit;
   * ids already stored are skipped), then delivers them in order. Resolves
   * true when nothing is held any more.
   */
  private async rewriteHeld(): Promise<boolean> {
    const undelivered = this.delivery.undelivered();
    // A batch still being written settles first: its own outcome decides.
    if (undelivered.some((b) => b.state === 'writing')) return false;
    const held = undelivered.filter((b) => b.state === 'held');
    if (held.length === 0) return this.deps.store.isHealthy();
    const outcomes = await Promise.allSettled(held.map((b) => this.appendAndCheck(b)));
    let isClear = true;
    outcomes.forEach((outcome, i) => {
      const batch = held[i]!;
      if (outcome.status === 'fulfilled') this.delivery.markDurable(batch);
      else if (isRefusal(outcome.reason)) {
        this.forgetInFlight(batch);
        this.deps.bus.abandon(batch.events.map((e) => e.seq));
        this.delivery.remove(batch);
      } else isClear = false;
    });
    return isClear;
  }

  /** Hands a durable batch to the bus (which feeds the replay buffer and the hub); called in seq order. */
  private deliver(batch: PendingBatch): void {
    const { bus } = this.deps;
    const { events, jsons, lost } = batch;
    this.forgetInFlight(batch);
    let abandoned = 0;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const storedSeq = lost?.get(event.id);
      if (storedSeq !== undefined) {
        // Another node's copy is the logged one (it delivers it): ours never reaches anyone.
        this.known.remember(event.id, storedSeq);
        abandoned++;
        // In its place in seq order, so no node waits for it.
        bus.abandon([event.seq]);
        continue;
      }
      this.known.remember(event.id, event.seq);
      try {
        bus.publish(event, jsons[i]!);
      } catch (err) {
        // The event is durable and acknowledged either way; a resume serves it to anyone this missed.
        this.deps.logger?.error({ err, seq: event.seq }, 'the bus failed to take a durable event');
      }
    }
    this.deps.metrics.recordPublished(events.length - abandoned);
    if (batch.sequencedAtNs !== undefined) this.deps.metrics.recordDispatchNs(Number(process.hrtime.bigint() - batch.sequencedAtNs));
    batch.resolve();
  }

  private forgetInFlight(batch: PendingBatch): void {
    for (const id of batch.suppliedIds ?? []) this.inFlight.delete(id);
  }

  private validate(
    identity: Identity,
    raw: unknown,
    path: string,
    defaultSource: string | undefined,
  ): Omit<EventDraft, 'id'> & { id?: string } {
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
    return event;
  }
}

/** Answers each lost id with the seq its stored copy has, as a duplicate: the publisher sees what the log holds. */
function answerWithStoredCopies(result: PublishResult, lost: ReadonlyMap<string, number>): void {
  result.ids.forEach((id, i) => {
    const seq = lost.get(id);
    if (seq === undefined) return;
    result.seqs[i] = seq;
    if (!result.duplicates.includes(id)) result.duplicates.push(id);
  });
}
