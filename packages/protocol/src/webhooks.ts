import { z } from 'zod';
import { filtersSchema, typePatternSchema } from './filters.js';

/** Body formats a webhook can POST: the Herald event itself, or a CloudEvents 1.0 structured body. */
export const WEBHOOK_FORMATS = ['herald', 'cloudevents'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Attempts in all (the first one included) before an event is dead-lettered, unless the webhook says otherwise. */
export const DEFAULT_WEBHOOK_MAX_ATTEMPTS = 8;
/** How long one attempt may take before it counts as failed, ms. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** `http(s)://host[:port][/path]`, with no user or password before the host. */
const WEBHOOK_URL = /^https?:\/\/[^/?#@\s]+(?:[/?#]\S*)?$/i;

/** Webhook ids are chosen by Herald (`wh_…`) or, in the config file, by the operator. */
const WEBHOOK_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A webhook as the config file (`webhooks: [...]`) and `POST /api/webhooks`
 * take it: where to POST, which events (patterns and filters, as a
 * WebSocket subscription), how to sign and format them, and how hard to try.
 */
export const webhookInputSchema = z.strictObject({
  /** Config file only: a stable id, so the webhook keeps its cursor when other entries change. */
  id: z.string().regex(WEBHOOK_ID, 'must be 1 to 64 letters, digits, "_" or "-"').optional(),
  url: z
    .string({ error: 'must be an http:// or https:// URL' })
    .max(2048, 'must be at most 2048 characters')
    .regex(WEBHOOK_URL, 'must be an http:// or https:// URL without credentials in it'),
  event_types: z.array(typePatternSchema, { error: 'must be a non-empty array of patterns such as ["repo.*"]' }).min(1, 'must name at least one pattern').max(50, 'may name at most 50 patterns'),
  filters: filtersSchema.optional(),
  /** Only events of this org (and org-less ones); without it the webhook sees every org. */
  org: z.string().min(1).max(200).optional(),
  /** HMAC key for `Herald-Signature`; 16 to 256 characters. */
  secret: z.string().min(16, 'must be at least 16 characters').max(256, 'must be at most 256 characters').optional(),
  format: z.enum(WEBHOOK_FORMATS, { error: 'must be "herald" or "cloudevents"' }).default('herald'),
  maxAttempts: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(DEFAULT_WEBHOOK_MAX_ATTEMPTS),
  timeoutMs: z.number().int('must be a whole number').min(100, 'must be at least 100').max(120_000, 'must be at most 120000').default(DEFAULT_WEBHOOK_TIMEOUT_MS),
  description: z.string().max(500, 'must be at most 500 characters').optional(),
});

export type WebhookInput = z.input<typeof webhookInputSchema>;
export type WebhookDefinitionInput = z.output<typeof webhookInputSchema>;

/** `active` delivers; `paused` was stopped by an admin; `disabled` was stopped by Herald (the receiver answered 410 Gone). */
export type WebhookStatus = 'active' | 'paused' | 'disabled';

/** A webhook as `GET /api/webhooks` shows it. The secret is never shown again after creation. */
export interface WebhookInfo {
  id: string;
  url: string;
  event_types: string[];
  filters?: Record<string, unknown>;
  org?: string;
  format: WebhookFormat;
  maxAttempts: number;
  timeoutMs: number;
  description?: string;
  has_secret: boolean;
  /** `api` (stored, deletable over the API) or `config` (from the config file). */
  origin: 'api' | 'config';
  status: WebhookStatus;
  /** Why it is paused or disabled. */
  status_reason?: string;
  /** The last seq handled (delivered, dead-lettered or not matching). */
  cursor: number;
  created_at: string;
}

/**
 * The outcome of one event for one webhook: `pending` while attempts are
 * retried, `delivered` after a 2xx, `dead` after `maxAttempts` failed
 * attempts (a dead letter, redeliverable), `failed` when the receiver
 * answered 410 Gone and the webhook was disabled.
 */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead' | 'failed';

/** One row of `GET /api/webhooks/:id/deliveries`. */
export interface WebhookDelivery {
  webhook_id: string;
  event_seq: number;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  /** Attempts made so far, redeliveries included. */
  attempts: number;
  /** HTTP status of the last attempt; null when it got no answer. */
  response_code: number | null;
  /** Duration of the last attempt, ms. */
  latency_ms: number | null;
  /** Why the last attempt failed, when it did. */
  error: string | null;
  /** When the last attempt ended, ISO. */
  updated_at: string;
  created_at: string;
}
