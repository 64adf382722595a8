import type { WebhookStatus } from '@herald/protocol';
import type { StoredWebhook, WebhookDefinition } from './webhook-store.js';

/** A `webhooks` row, as both engines read it. */
export interface WebhookRow {
  id: string;
  definition: string;
  status: WebhookStatus;
  status_reason: string | null;
  cursor: number;
  created_at: string;
}

export function rowToWebhook(row: WebhookRow): StoredWebhook {
  const definition = JSON.parse(row.definition) as WebhookDefinition;
  const webhook: StoredWebhook = { ...definition, id: row.id, status: row.status, cursor: Number(row.cursor), created_at: row.created_at };
  if (row.status_reason !== null) webhook.status_reason = row.status_reason;
  return webhook;
}

/** The definition as stored: everything but the id, which is its own column. */
export function definitionJson(definition: WebhookDefinition): string {
  const { id: _id, ...rest } = definition;
  return JSON.stringify(rest);
}

