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
  | CallResultMessage
  | CallChunkMessage
  | CallCompleteMessage
  | ErrorMessage;

/**
 * Fields on every frame that answers a `call` (or a routed action): the
 * request `id` echoed, `timestamp` in Unix milliseconds, and `task_id` when
 * the call is an agent task.
 */
export interface CallFrameBase {
  id?: RequestId;
  /** Unix milliseconds when the frame was sent. */
  timestamp: number;
  task_id?: string;
}

/** A unary call's answer. */
export interface CallResultMessage extends CallFrameBase {
  type: 'result';
  data: unknown;
}

/**
 * One piece of a streamed answer: text of an agent reply, a backend's
 * NDJSON line or SSE event, or an MCP progress notification (`progress` and
 * `total` set, `content` its message).
 */
export interface CallChunkMessage extends CallFrameBase {
  type: 'chunk';
  content: unknown;
  progress?: number;
  total?: number;
}

/** The end of a streamed answer; `result` is the final value (the MCP tool result, the agent's whole reply). */
export interface CallCompleteMessage extends CallFrameBase {
  type: 'complete';
  content: '';
  result: unknown;
}

export interface ErrorMessage {
  type: 'error';
  id?: RequestId;
  code: ErrorCode | string;
  message: string;
  details?: Record<string, unknown>;
  /** On errors that end a call: the message again, for clients that read `content` (chunk-style shape). */
  content?: string;
  /** On errors that end a call: Unix milliseconds. */
  timestamp?: number;
  task_id?: string;
}

/** HTTP error body. */
export interface ErrorBody {
  error: { code: ErrorCode | string; message: string; details?: Record<string, unknown> };
}
