/** The bodies of the agents and KV tools and of `/api/agents`, `/api/tasks`, `/api/kv`. */

/** An agent: its definition (when a markdown file describes it) and whether a backend answers it. */
export interface AgentInfo {
  name: string;
  description: string;
  tools: string[];
  /** The definition's markdown body (the system prompt). */
  prompt: string;
  /** The backend that answers it; null when none does (messages to it fail with upstream_unavailable). */
  backend: string | null;
  is_available: boolean;
  /** True when a definition file describes it (admins may edit or delete it). */
  has_definition: boolean;
}

export type AgentTaskStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** One agent request (`agents.task_status`, `GET /api/tasks/:id`). */
export interface AgentTask {
  task_id: string;
  agent: string;
  status: AgentTaskStatus;
  session_id: string;
  user: string;
  org?: string;
  /** ISO 8601. */
  created_at: string;
  updated_at: string;
  /** Chunks relayed so far. */
  chunks: number;
  /** Why it failed or was cancelled. */
  error?: { code: string; message: string };
}

/** The final result of `agents.send` (`complete.result`). */
export interface AgentSendResult {
  task_id: string;
  session_id: string;
  agent: string;
  /** The reply's text: the chunks joined, or a unary body's `content`. */
  content: string;
  /** The backend's own result, or its JSON body when it did not stream. */
  result?: unknown;
}

/** One KV key as `kv.get`, `kv.set` and `kv.list` answer it. */
export interface KvItem {
  key: string;
  value: unknown;
  /** ISO 8601; null when it never expires. */
  expires_at: string | null;
  /** Seconds left, rounded up; null when it never expires. */
  ttl_s: number | null;
  updated_at: string;
  /** Size of the value as JSON, bytes. */
  size_bytes: number;
}

/** A page of `kv.list`. */
export interface KvPage {
  keys: KvItem[];
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}

/** The largest KV value, as JSON, bytes (64 KiB). */
export const KV_MAX_VALUE_BYTES = 64 * 1024;
/** KV keys: 1-256 letters, digits and `_ . : / -`. */
export const KV_KEY_PATTERN = /^[A-Za-z0-9_.:/-]{1,256}$/;
