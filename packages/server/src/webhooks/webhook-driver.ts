import type { HeraldEvent, WebhookDelivery } from '@herald/protocol';
import type { Logger } from '../logging/create-logger.js';
import { compileFilter } from '../matching/compile-filter.js';
import type { EventPredicate, FilterFieldResolver } from '../matching/matching.js';
import { compilePattern } from '../matching/parse-pattern.js';
import type { EventStore } from '../store/event-store.js';
import { retryDelayMs } from './retry-delay.js';
import { webhookRequest } from './webhook-body.js';
import type { AttemptResult, SendRequest } from './webhook-sender.js';
import type { StoredWebhook, WebhookStore } from './webhook-store.js';

/** Timing of delivery, from `webhookDelivery` in the config. */
export interface DeliverySettings {
  /** First retry wait, ms; later ones grow fourfold (with jitter) up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often a webhook looks for new events without being told of them, ms. */
  pollIntervalMs: number;
  /** How long a node's claim on a webhook lasts beyond the attempt in flight, ms. */
  leaseMs: number;
  /** How long a missing seq is waited for (another node may still be committing it) before it is passed over, ms. */
  gapGraceMs: number;
}

export interface DriverDeps {
  events: Pick<EventStore, 'readAfter'>;
  store: WebhookStore;
  send(request: SendRequest): Promise<AttemptResult>;
  /** Publishes Herald's own events (`webhook.failed`, `webhook.disabled`). */
  publish(events: unknown[]): Promise<unknown>;
  resolver: FilterFieldResolver;
  settings: DeliverySettings;
  /** This node's name in leases. */
  nodeId: string;
  logger: Logger;
  now?: () => number;
}

/** Events read from the log per step. */
const READ_BATCH_EVENTS = 200;
/** Delivered rows kept in the log per webhook; dead letters are always kept. */
const KEEP_DELIVERED_ROWS = 1_000;
/** How long after a nudge the driver keeps looking every few ms for the event to become durable, ms. */
const NUDGE_WINDOW_MS = 2_000;
const NUDGE_RETRY_MS = 15;

type Outcome = 'delivered' | 'dead' | 'gone' | 'interrupted';

/** Events Herald publishes about its webhooks. */
export const WEBHOOK_FAILED_TYPE = 'webhook.failed';
export const WEBHOOK_DISABLED_TYPE = 'webhook.disabled';

/**
 * Delivers one webhook: reads the durable log after the webhook's cursor,
 * POSTs each matching event in seq order (the next waits while the current
 * one is retried), and moves the cursor with the delivery row in one
 * commit, so a restart resumes exactly where delivery stopped. Works only
 * while this node holds the webhook's lease, renewed before every attempt
 * with room for the attempt's whole timeout.
 */
export class WebhookDriver {
  private webhook: StoredWebhook;
  private matchers: Array<(type: string) => boolean> = [];
  private predicate: EventPredicate | undefined;
  /** The cursor as this node last read or wrote it; undefined until the lease is held. */
  private cursor: number | undefined;
  private leaseValidUntilMs = 0;
  private isStopped = false;
  /** The sleep in progress; `isIdle` when new events may end it (not a retry's backoff). */
  private sleeper: { wake: () => void; isIdle: boolean } | undefined;
  /** The definition and status as last seen, to tell a real change from a reload. */
  private shape: string;
  private nudgedSeq = 0;
  private nudgedAtMs = 0;
  private readonly gaps = new Map<number, number>();
  private deliveredSincePrune = 0;
  private readonly loop: Promise<void>;
  private readonly now: () => number;

  constructor(
    webhook: StoredWebhook,
    private readonly deps: DriverDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.webhook = webhook;
    this.shape = shapeOf(webhook);
    this.compile();
    this.loop = this.run();
  }

  get id(): string {
    return this.webhook.id;
  }

  /** Takes the webhook as read again from the store; a changed definition or status ends any sleep. */
  update(webhook: StoredWebhook): void {
    const shape = shapeOf(webhook);
    const isChanged = shape !== this.shape;
    const isFilterChanged = JSON.stringify([webhook.event_types, webhook.filters, webhook.org]) !== JSON.stringify([this.webhook.event_types, this.webhook.filters, this.webhook.org]);
    this.webhook = webhook;
    this.shape = shape;
    if (isFilterChanged) this.compile();
    if (isChanged) this.wake(true);
  }

  /** New durable events up to `seq` may be in the log. */
  nudge(seq: number): void {
    if (seq > this.nudgedSeq) {
      this.nudgedSeq = seq;
      this.nudgedAtMs = this.now();
    }
    this.wake(false);
  }

  /** Stops after the attempt in flight, leaving the cursor where the last finished delivery put it. */
  async stop(): Promise<void> {
    this.isStopped = true;
    this.wake(true);
    await this.loop;
    await this.deps.store.releaseLease(this.webhook.id, this.deps.nodeId).catch(() => undefined);
  }

  private compile(): void {
    this.matchers = this.webhook.event_types.map(compilePattern);
    this.predicate = compileFilter(this.webhook.filters ?? {}, this.deps.resolver);
  }

  /** Ends the sleep in progress: any sleep when `isUrgent`, else only an idle one (new events never cut a backoff short). */
  private wake(isUrgent: boolean): void {
    const sleeper = this.sleeper;
    if (!sleeper || (!isUrgent && !sleeper.isIdle)) return;
    this.sleeper = undefined;
    sleeper.wake();
  }

  private sleep(ms: number, isIdle: boolean): Promise<void> {
    if (this.isStopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeper = undefined;
        resolve();
      }, ms);
      this.sleeper = {
        isIdle,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  /**
   * Waits until `untilMs` before the next attempt, renewing the lease on
   * the way so that no other node takes the webhook over meanwhile. False
   * when the wait was cut short (stop, pause) or the lease was lost.
   */
  private async backOff(untilMs: number): Promise<boolean> {
    for (;;) {
      const leftMs = untilMs - this.now();
      if (leftMs <= 0) return true;
      await this.sleep(Math.min(leftMs, this.deps.settings.leaseMs / 2), false);
      if (this.isStopped || this.webhook.status !== 'active') return false;
      if (!(await this.holdLease(0))) return false;
    }
  }

  /** True when the webhook wants this event: a pattern, the filters, its org, and never news of its own failures. */
  matches(event: HeraldEvent): boolean {
    const { org, id } = this.webhook;
    if (org !== undefined && event.org !== undefined && event.org !== org) return false;
    if ((event.type === WEBHOOK_FAILED_TYPE || event.type === WEBHOOK_DISABLED_TYPE) && (event.data as { webhook_id?: unknown } | undefined)?.webhook_id === id) return false;
    if (!this.matchers.some((m) => m(event.type))) return false;
    return this.predicate === undefined || this.predicate(event);
  }

  private async run(): Promise<void> {
    while (!this.isStopped) {
      let progressed = false;
      try {
        progressed = await this.step();
      } catch (err) {
        this.deps.logger.warn({ err, webhook: this.webhook.id }, 'webhook delivery step failed; retrying');
        this.cursor = undefined;
      }
      if (progressed || this.isStopped) continue;
      const isAwaitingNudged = this.cursor !== undefined && this.cursor < this.nudgedSeq && this.now() - this.nudgedAtMs < NUDGE_WINDOW_MS;
      await this.sleep(isAwaitingNudged ? NUDGE_RETRY_MS : this.deps.settings.pollIntervalMs, true);
    }
  }

  /** One read of the log and the deliveries it calls for; false when there was nothing to do. */
  private async step(): Promise<boolean> {
    if (this.webhook.status !== 'active') return false;
    if (!(await this.holdLease(0))) return false;
    if (this.cursor === undefined) {
      const stored = await this.deps.store.get(this.webhook.id);
      if (!stored) return false;
      this.cursor = stored.cursor;
    }
    const events = await this.deps.events.readAfter(this.cursor, READ_BATCH_EVENTS);
    let scanned = this.cursor;
    let progressed = false;
    for (const event of events) {
      if (this.isStopped || this.webhook.status !== 'active') break;
      if (event.seq !== scanned + 1 && !this.isGapSettled(scanned + 1)) break;
      if (this.matches(event)) {
        if (scanned > this.cursor) await this.moveCursor(scanned);
        const outcome = await this.deliver(event);
        if (outcome === 'interrupted') return progressed;
        if (outcome === 'gone') return true;
        this.cursor = event.seq;
      }
      scanned = event.seq;
      progressed = true;
    }
    if (scanned > this.cursor) await this.moveCursor(scanned);
    return progressed;
  }

  private async moveCursor(seq: number): Promise<void> {
    await this.deps.store.advanceCursor(this.webhook.id, seq);
    this.cursor = seq;
  }

  /**
   * A seq missing from the log may still be committing on another node;
   * it is passed over once it has been missing for `gapGraceMs` (its
   * publish failed, or retention removed it).
   */
  private isGapSettled(missingSeq: number): boolean {
    const firstSeen = this.gaps.get(missingSeq);
    if (firstSeen === undefined) {
      if (this.gaps.size > 100) this.gaps.clear();
      this.gaps.set(missingSeq, this.now());
      return this.deps.settings.gapGraceMs === 0;
    }
    if (this.now() - firstSeen < this.deps.settings.gapGraceMs) return false;
    this.gaps.delete(missingSeq);
    return true;
  }

  /**
   * Holds the lease with at least `needMs` left; renews it when less than
   * half of it remains. Losing it drops the cursor, so that the next holder
   * (maybe this node again) reads it from the store.
   */
  private async holdLease(needMs: number): Promise<boolean> {
    const ttlMs = this.deps.settings.leaseMs + this.webhook.timeoutMs;
    const now = this.now();
    if (this.leaseValidUntilMs - now > Math.max(needMs, ttlMs / 2)) return true;
    const isHeld = await this.deps.store.acquireLease(this.webhook.id, this.deps.nodeId, ttlMs);
    if (!isHeld) {
      this.leaseValidUntilMs = 0;
      this.cursor = undefined;
      return false;
    }
    this.leaseValidUntilMs = now + ttlMs;
    return true;
  }

  private async deliver(event: HeraldEvent): Promise<Outcome> {
    const { id, maxAttempts, timeoutMs } = this.webhook;
    const existing = await this.deps.store.getDelivery(id, event.seq);
    let attempts = existing?.status === 'pending' ? existing.attempts : 0;
    const createdAt = existing?.created_at ?? new Date(this.now()).toISOString();
    // Resuming retries (after a restart, a pause, or on another node): the backoff still holds.
    if (attempts > 0 && !(await this.backOff(Date.parse(existing!.updated_at) + this.retryWaitMs(attempts)))) return 'interrupted';
    for (;;) {
      if (this.isStopped || this.webhook.status !== 'active') return 'interrupted';
      // Room for the whole attempt and a second, so no other node can start while it runs.
      if (!(await this.holdLease(timeoutMs + 1_000))) return 'interrupted';
      attempts += 1;
      const result = await this.deps.send(webhookRequest(this.webhook, event, attempts, this.now()));
      // An attempt cut short by shutdown is not one the receiver failed.
      if (this.isStopped) return 'interrupted';
      const record = (status: WebhookDelivery['status']): WebhookDelivery => ({
        webhook_id: id,
        event_seq: event.seq,
        event_id: event.id,
        event_type: event.type,
        status,
        attempts,
        response_code: result.status ?? null,
        latency_ms: result.latencyMs,
        error: result.error ?? null,
        created_at: createdAt,
        updated_at: new Date(this.now()).toISOString(),
      });
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        await this.deps.store.recordDelivery(record('delivered'), event.seq);
        await this.pruneNow();
        return 'delivered';
      }
      if (result.status === 410) {
        await this.disable(record('failed'));
        return 'gone';
      }
      if (attempts >= maxAttempts) {
        await this.deps.store.recordDelivery(record('dead'), event.seq);
        await this.announceDeadLetter(event, record('dead'));
        return 'dead';
      }
      await this.deps.store.recordDelivery(record('pending'));
      if (!(await this.backOff(this.now() + this.retryWaitMs(attempts)))) return 'interrupted';
    }
  }

  private retryWaitMs(attempts: number): number {
    return retryDelayMs(attempts, this.deps.settings.retryBaseMs, this.deps.settings.retryMaxMs);
  }

  private async pruneNow(): Promise<void> {
    this.deliveredSincePrune += 1;
    if (this.deliveredSincePrune < 100) return;
    this.deliveredSincePrune = 0;
    await this.deps.store.pruneDelivered(this.webhook.id, KEEP_DELIVERED_ROWS);
  }

  /** 410 Gone: the receiver asks never to be called again. The event stays undelivered, so resuming sends it first. */
  private async disable(delivery: WebhookDelivery): Promise<void> {
    const reason = `the receiver answered 410 Gone for event ${delivery.event_seq}`;
    await this.deps.store.recordDelivery(delivery);
    await this.deps.store.setStatus(this.webhook.id, 'disabled', reason);
    this.webhook = { ...this.webhook, status: 'disabled', status_reason: reason };
    this.deps.logger.warn({ webhook: this.webhook.id, url: this.webhook.url }, 'webhook disabled: the receiver answered 410 Gone');
    await this.publishSafely({
      type: WEBHOOK_DISABLED_TYPE,
      severity: 'warning',
      data: { webhook_id: this.webhook.id, url: this.webhook.url, reason, event_id: delivery.event_id, event_seq: delivery.event_seq },
    });
  }

  private async announceDeadLetter(event: HeraldEvent, delivery: WebhookDelivery): Promise<void> {
    this.deps.logger.warn({ webhook: this.webhook.id, seq: event.seq, error: delivery.error }, 'webhook delivery dead-lettered');
    // News of a failure that was itself news of a failure would chain from one dead receiver to the next.
    if (event.type === WEBHOOK_FAILED_TYPE) return;
    await this.publishSafely({
      type: WEBHOOK_FAILED_TYPE,
      severity: 'error',
      data: {
        webhook_id: this.webhook.id,
        url: this.webhook.url,
        event_id: event.id,
        event_seq: event.seq,
        event_type: event.type,
        attempts: delivery.attempts,
        response_code: delivery.response_code,
        error: delivery.error,
      },
    });
  }

  private async publishSafely(event: Record<string, unknown>): Promise<void> {
    try {
      await this.deps.publish([{ source: 'herald', ...event }]);
    } catch (err) {
      this.deps.logger.warn({ err, type: event.type }, 'could not publish a webhook event');
    }
  }
}

/** Everything of a webhook but its cursor, which moves without being a change. */
function shapeOf(webhook: StoredWebhook): string {
  return JSON.stringify({ ...webhook, cursor: 0 });
}
