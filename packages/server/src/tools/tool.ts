import type { Identity } from '../auth/identity.js';

/** Who is calling, as a tool sees it. */
export interface Caller {
  identity: Identity;
  /** The org the caller acts in now (after `context_switch`); undefined for org-less callers. */
  org: string | undefined;
  /** The WebSocket connection's id (`client_id` of the welcome) when the call came over a socket. */
  connectionId?: string;
  /** The connection's session id, when over a socket. */
  sessionId?: string;
  /** The connection's correlation id, or the request's `x-correlation-id`. */
  correlationId?: string;
}

/** One piece of a streamed answer; becomes a `chunk` frame. */
export interface ToolChunk {
  content: unknown;
  /** MCP progress: how far along, and out of how much when known. */
  progress?: number;
  total?: number;
}

/** What a tool's `run` receives besides its params. */
export interface ToolContext extends Caller {
  /**
   * Aborted when the caller disconnects, the call times out or the server
   * stops; a tool passes it on to whatever it waits for.
   */
  signal: AbortSignal;
  /** Sends one `chunk` frame to the caller. A call that sent any chunk ends with `complete` instead of `result`. */
  emit(chunk: ToolChunk): void;
  /**
   * Sets a field carried on every later frame of this call (e.g. `task_id`
   * of an agent task), and on its final frame.
   */
  setFrameField(name: 'task_id', value: string): void;
}

/**
 * A callable tool: `mcp.call`, `kv.get`, `agents.send`, or a configured
 * route. One interface for all of them, so permissions, timeouts,
 * cancellation and frames are handled once (see CallRunner).
 *
 * Contract:
 * - `run` resolves to the answer (`result.data`, or `complete.result` when
 *   it emitted chunks) or rejects with a HeraldError whose code the caller
 *   sees (`invalid_params`, `not_found`, `upstream_error`, …). Any other
 *   rejection is reported as `internal_error` and logged.
 * - `run` stops its work soon after `signal` aborts; what it resolves after
 *   that is dropped.
 * - `emit` after `run` settled is ignored.
 */
export interface Tool {
  /** Dotted name the `call` action uses: `mcp.call`, `kv.get`. */
  readonly name: string;
  /** One line for listings and errors. */
  readonly description: string;
  /** JSON Schema of the params, for UIs and `tools.list`; optional. */
  readonly inputSchema?: Record<string, unknown>;
  /**
   * What `call:<pattern>` permission the call needs, given its params;
   * defaults to the tool's name (`call:kv.get`). `mcp.call` answers
   * `mcp.<server>.<tool>`, routes `route.<action>`.
   */
  permissionFor?(params: unknown): string;
  /** Longest the call may run before it is cancelled with `call_timeout`, ms; the runner's default when absent. */
  readonly timeoutMs?: number;
  run(params: unknown, context: ToolContext): Promise<unknown>;
}
