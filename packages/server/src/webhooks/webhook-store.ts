import type { Filters, WebhookDelivery, WebhookDeliveryStatus, WebhookFormat, WebhookStatus } from '@herald/protocol';

/** What defines a webhook: everything but its delivery state. */
export interface WebhookDefinition {
  id: string;
  url: string;
  event_types: string[];
  filters?: Filters;
  org?: string;
  secret?: string;
  format: WebhookFormat;
  maxAttempts: number;
  timeoutMs: number;
  description?: string;
  origin: 'api' | 'config';
}

/** A webhook with its delivery state, as stored. */
export interface StoredWebhook extends WebhookDefinition {
  status: WebhookStatus;
  status_reason?: string;
  /** The last seq handled; delivery resumes after it. */
  cursor: number;
  created_at: string;
}

export type { WebhookDelivery, WebhookDeliveryStatus };

/** A page of the delivery log, newest event first. */
export interface DeliveryQuery {
  limit: number;
  /** Only deliveries of this status (`dead` lists the dead letters). */
  status?: WebhookDeliveryStatus;
  /** Only deliveries of events below this seq (the previous page's last `event_seq`). */
  beforeSeq?: number;
}

/**
 * Webhook definitions, their cursors, the delivery log and the leases that
 * keep one node at a time delivering each webhook.
 *
 * Contract:
 * - `upsert` creates a webhook with the given cursor and `active` status, or
 *   replaces the definition of an existing one while keeping its status and
 *   cursor (config-file webhooks are upserted at every start).
 * - `recordDelivery` writes the delivery row (one per webhook and event seq,
 *   replaced on every attempt) and, when `cursor` is given, moves the cursor
 *   in the same transaction: after a crash either both happened or neither.
 * - Cursors only move forward: a smaller value than the stored one is ignored.
 * - `remove` deletes the webhook, its deliveries and its lease.
 * - `acquireLease(id, holder, ttlMs)` is true when `holder` now holds the
 *   lease until `ttlMs` from now (by the store's clock): it was free, expired,
 *   or already `holder`'s. At most one holder has an unexpired lease.
 * - Reads see every committed write, from this node or another.
 */
export interface WebhookStore {
  /** Human name, e.g. `sqlite:/data/herald.db`. */
  readonly description: string;
  open(): Promise<void>;
  close(): Promise<void>;
  list(): Promise<StoredWebhook[]>;
  get(id: string): Promise<StoredWebhook | undefined>;
  upsert(definition: WebhookDefinition, initialCursor: number): Promise<StoredWebhook>;
  /** False when there is no such webhook. */
  remove(id: string): Promise<boolean>;
  /** False when there is no such webhook. `reason` is cleared when omitted. */
  setStatus(id: string, status: WebhookStatus, reason?: string): Promise<boolean>;
  /** Moves the cursor forward to `seq` (never back). */
  advanceCursor(id: string, seq: number): Promise<void>;
  recordDelivery(delivery: WebhookDelivery, cursor?: number): Promise<void>;
  getDelivery(webhookId: string, eventSeq: number): Promise<WebhookDelivery | undefined>;
  deliveries(webhookId: string, query: DeliveryQuery): Promise<WebhookDelivery[]>;
  /** Deletes `delivered` rows of the webhook beyond the newest `keep`; dead letters stay. Resolves to how many went. */
  pruneDelivered(webhookId: string, keep: number): Promise<number>;
  acquireLease(webhookId: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up early, if `holder` has it. */
  releaseLease(webhookId: string, holder: string): Promise<void>;
}
