import type { HeraldEvent } from './event.js';
import type { Filters } from './filters.js';
import type { RequestId } from './client-messages.js';
import type { RegistryMetadata } from './registry.js';
import type { ErrorCode } from './errors.js';

/** What a client learns on connect. */
export interface ConnectedMessage {
  type: 'connected';
  client_id: string;
  session_id: string;
  user: { id: string; org?: string; orgs?: string[]; permissions?: string[] };
  server: { name: 'herald'; version: string };
  heartbeat_s: number;
  /** The newest seq at connect time: subscribe with `since` = this to miss nothing from now on. */
  seq: number;
  correlation_id?: string;
}

export interface SubscriptionInfo {
  subscription_id: string;
  event_types: string[];
  filters: Filters;
  correlation_id?: string;
}

export type ServerMessage =
  | ConnectedMessage
  | { type: 'pong'; id?: RequestId; timestamp?: unknown; server_time: string }
  | { type: 'metadata'; id?: RequestId; data: RegistryMetadata }
  | ({ type: 'subscribed'; id?: RequestId; /** The newest seq when the subscription started: live events follow it. */ seq: number } & SubscriptionInfo)
  | {
      type: 'unsubscribed';
      id?: RequestId;
      subscription_ids: string[];
      subscription_id?: string;
      event_types?: string[];
      /** Set when Herald dropped them itself: `permission` after a fresh token allowed less. */
      reason?: 'permission';
    }
  | { type: 'subscriptions'; id?: RequestId; subscriptions: SubscriptionInfo[] }
  | { type: 'published'; id?: RequestId; ids: string[]; seqs: number[]; duplicates?: string[] }
  | { type: 'history'; id?: RequestId; events: HeraldEvent[]; next_cursor: string | null }
  | {
      type: 'replayed';
      subscription_id: string;
      count: number;
      to_seq: number;
      recovered: boolean;
      earliest_seq?: number;
    }
  | { type: 'event'; subscriptions: string[]; event: HeraldEvent; replay?: true }
  | { type: 'context_switched'; id?: RequestId; from: string | null; to: string; context_type: 'organization' | 'user' }
  | { type: 'authenticated'; id?: RequestId; user: ConnectedMessage['user']; expires_at?: string }
  | { type: 'result'; id?: RequestId; data: unknown }
  | { type: 'chunk'; id?: RequestId; content: unknown }
  | { type: 'complete'; id?: RequestId; content?: unknown }
  | ErrorMessage;

export interface ErrorMessage {
  type: 'error';
  id?: RequestId;
  code: ErrorCode | string;
  message: string;
  details?: Record<string, unknown>;
}

/** HTTP error body. */
export interface ErrorBody {
  error: { code: ErrorCode | string; message: string; details?: Record<string, unknown> };
}
