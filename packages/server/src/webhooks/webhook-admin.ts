import { createHash, randomBytes } from 'node:crypto';
import { type WebhookDefinitionInput, type WebhookDelivery, type WebhookInfo, type WebhookStatus } from '@herald/protocol';
import { ulid } from 'ulid';
import { ConfigError, HeraldError } from '../errors/herald-error.js';
import type { EventStore } from '../store/event-store.js';
import { checkWebhookHost } from './address-guard.js';
import { webhookRequest } from './webhook-body.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import type { AttemptResult, SendRequest } from './webhook-sender.js';
import type { DeliveryQuery, StoredWebhook, WebhookDefinition } from './webhook-store.js';

/** What the API shows of a webhook: never the secret. */
export function webhookInfo(webhook: StoredWebhook): WebhookInfo {
  const { secret, ...rest } = webhook;
  return { ...rest, has_secret: secret !== undefined };
}

/** A new secret for a webhook created without one: 32 random bytes. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The config file's webhooks as definitions. An entry without an `id` gets
 * one from its URL and patterns, so it keeps its cursor across restarts as
 * long as those stay the same.
 * @throws ConfigError when two entries end up with one id.
 */
export function definitionsFromConfig(inputs: readonly WebhookDefinitionInput[]): WebhookDefinition[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const definitions = inputs.map((input, i): WebhookDefinition => {
    const id = input.id ?? `cfg_${createHash('sha256').update(`${input.url}\n${input.event_types.join(',')}`).digest('hex').slice(0, 16)}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) problems.push(`webhooks[${i}]: the same webhook as webhooks[${earlier}] (id "${id}"); give one of them another "id"`);
    seen.set(id, i);
    return { ...input, id, origin: 'config' };
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return definitions;
}

export interface WebhookAdminDeps {
  dispatcher: WebhookDispatcher;
  events: Pick<EventStore, 'readAfter' | 'lastSeq'>;
  send(request: SendRequest): Promise<AttemptResult>;
  allowPrivate: boolean;
  now?: () => number;
}

/** What the webhook API does: create, list, pause, resume, delete, read the delivery log, redeliver. */
export class WebhookAdmin {
  constructor(private readonly deps: WebhookAdminDeps) {}

  private get store() {
    return this.deps.dispatcher.store;
  }

  /** Refuses URLs whose host is private (unless allowed) with `invalid_params` on `url`. */
  async checkUrl(url: string): Promise<void> {
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      throw new HeraldError('invalid_params', 'url must be an http:// or https:// URL such as https://hooks.example.com/herald', { path: 'url' });
    }
    if (this.deps.allowPrivate) return;
    const check = await checkWebhookHost(host);
    if (!check.ok) throw new HeraldError('invalid_params', `url: ${check.reason}`, { path: 'url' });
  }

  /** Creates a webhook that starts with the next event published; the reply holds the secret, shown only here. */
  async create(input: WebhookDefinitionInput): Promise<WebhookInfo & { secret: string }> {
    if (input.id !== undefined) throw new HeraldError('invalid_params', 'id is chosen by Herald for webhooks made over the API; leave it out', { path: 'id' });
    await this.checkUrl(input.url);
    const secret = input.secret ?? generateSecret();
    const definition: WebhookDefinition = { ...input, id: `wh_${ulid()}`, secret, origin: 'api' };
    const stored = await this.store.upsert(definition, await this.deps.events.lastSeq());
    await this.deps.dispatcher.reload();
    return { ...webhookInfo(stored), secret };
  }

  async list(): Promise<WebhookInfo[]> {
    return (await this.store.list()).map(webhookInfo);
  }

  async get(id: string): Promise<StoredWebhook> {
    const webhook = await this.store.get(id);
    if (!webhook) throw new HeraldError('not_found', `no webhook "${id.slice(0, 80)}"; GET /api/webhooks lists them`, { path: 'id' });
    return webhook;
  }

  async remove(id: string): Promise<void> {
    const webhook = await this.get(id);
    if (webhook.origin === 'config') {
      throw new HeraldError('invalid_params', `webhook "${id}" comes from the config file; remove it there (or pause it here)`, { path: 'id' });
    }
    await this.store.remove(id);
    await this.deps.dispatcher.reload();
  }

  /** Pauses, or resumes (also a webhook Herald disabled after a 410): delivery continues from the cursor, nothing skipped. */
  async setStatus(id: string, status: Exclude<WebhookStatus, 'disabled'>): Promise<WebhookInfo> {
    await this.get(id);
    await this.store.setStatus(id, status, status === 'paused' ? 'paused over the API' : undefined);
    await this.deps.dispatcher.reload();
    return webhookInfo(await this.get(id));
  }

  async deliveries(id: string, query: DeliveryQuery): Promise<WebhookDelivery[]> {
    await this.get(id);
    return this.store.deliveries(id, query);
  }

  /**
   * Sends one event again, now, outside the webhook's order: for dead
   * letters once the receiver is fixed. One attempt; the delivery row
   * records it (a 2xx turns a dead letter into `delivered`).
   */
  async redeliver(id: string, seq: number): Promise<WebhookDelivery> {
    const webhook = await this.get(id);
    const previous = await this.store.getDelivery(id, seq);
    if (!previous) throw new HeraldError('not_found', `webhook "${id}" has no delivery of event ${seq}; GET /api/webhooks/${id}/deliveries lists them`, { path: 'seq' });
    if (previous.status === 'pending') {
      throw new HeraldError('invalid_params', `event ${seq} is still being retried for webhook "${id}"; redeliver it once it is dead-lettered`, { path: 'seq' });
    }
    const [event] = await this.deps.events.readAfter(seq - 1, 1);
    if (!event || event.seq !== seq) throw new HeraldError('not_found', `event ${seq} is no longer in the log (retention removed it)`, { path: 'seq' });
    await this.checkUrl(webhook.url);
    const attempts = previous.attempts + 1;
    const result = await this.deps.send(webhookRequest(webhook, event, attempts, this.deps.now?.() ?? Date.now()));
    const isOk = result.status !== undefined && result.status >= 200 && result.status < 300;
    const delivery: WebhookDelivery = {
      ...previous,
      status: isOk ? 'delivered' : previous.status,
      attempts,
      response_code: result.status ?? null,
      latency_ms: result.latencyMs,
      error: result.error ?? null,
      updated_at: new Date(this.deps.now?.() ?? Date.now()).toISOString(),
    };
    await this.store.recordDelivery(delivery);
    return delivery;
  }
}
