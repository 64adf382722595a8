import type { HeraldEvent, WebhookFormat } from '@herald/protocol';
import { SIGNATURE_HEADER, signPayload } from './sign-payload.js';

/** What a webhook POSTs for one event: the body text and its content type. */
export interface WebhookBody {
  contentType: string;
  text: string;
}

/**
 * The body of a webhook request. `herald` is the event exactly as the log
 * holds it (the shape WebSocket subscribers get); `cloudevents` is a
 * CloudEvents 1.0 structured-mode body whose extension attributes carry
 * Herald's own fields (`seq`, `severity`, `priority`, `correlationid`,
 * `org`), named as Herald reads them when CloudEvents are published to it.
 */
export function webhookBody(event: HeraldEvent, format: WebhookFormat): WebhookBody {
  if (format === 'herald') return { contentType: 'application/json', text: JSON.stringify(event) };
  const ce: Record<string, unknown> = {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    time: event.time,
    datacontenttype: 'application/json',
    seq: event.seq,
    category: event.category,
    severity: event.severity,
    priority: event.priority,
  };
  if (event.correlation_id !== undefined) ce.correlationid = event.correlation_id;
  if (event.org !== undefined) ce.org = event.org;
  ce.data = event.data;
  return { contentType: 'application/cloudevents+json', text: JSON.stringify(ce) };
}

/**
 * One attempt's request: the body, Herald's headers (the webhook, the
 * event and its seq, the attempt number, which receivers may log or use to
 * de-duplicate by event id) and, with a secret, the signature over the
 * body as sent at `nowMs`.
 */
export function webhookRequest(
  webhook: { id: string; url: string; format: WebhookFormat; secret?: string; timeoutMs: number },
  event: HeraldEvent,
  attempt: number,
  nowMs: number,
): { url: string; headers: Record<string, string>; body: string; timeoutMs: number } {
  const body = webhookBody(event, webhook.format);
  const headers: Record<string, string> = {
    'content-type': body.contentType,
    'herald-webhook-id': webhook.id,
    'herald-event-id': event.id,
    'herald-event-seq': String(event.seq),
    'herald-delivery-attempt': String(attempt),
  };
  if (webhook.secret !== undefined) headers[SIGNATURE_HEADER.toLowerCase()] = signPayload(webhook.secret, body.text, Math.floor(nowMs / 1000));
  return { url: webhook.url, headers, body: body.text, timeoutMs: webhook.timeoutMs };
}
