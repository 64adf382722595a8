import type { RequestId } from '@herald/protocol';
import { can } from '../auth/permissions.js';
import { HeraldError } from '../errors/herald-error.js';
import type { Caller, Tool, ToolChunk } from './tool.js';

/** Where a socket call's frames go: the connection, seen through a narrow port. */
export interface CallSink {
  readonly id: string;
  readonly isOpen: boolean;
  sendMessage(message: object): void;
}

export interface CallRunnerOptions {
  /** Longest a call may run when its tool sets no timeout, ms (`limits.callTimeoutMs`). */
  defaultTimeoutMs: number;
  /** Calls one connection may have running at once (`limits.maxConcurrentCallsPerConnection`). */
  maxConcurrentPerConnection: number;
  logger: { error(obj: object, msg: string): void };
}

/** What {@link CallRunner.execute} reports besides the answer. */
export interface ExecuteHooks {
  /** Aborts the call (an HTTP client that went away, say). */
  signal?: AbortSignal;
  /** Each chunk the tool emits, in order. */
  onChunk?(chunk: ToolChunk): void;
  /** Fields the tool set for its frames (`task_id`). */
  onFrameField?(name: string, value: string): void;
}

/** The outcome of a call that finished. */
export interface CallOutcome {
  result: unknown;
  /** True when the tool emitted chunks: socket callers then get `complete`, not `result`. */
  isStreamed: boolean;
}

const CALLER_GONE = 'caller_gone';
/** The abort reason once a call settled: releases what the tool may still hold. */
const CALL_SETTLED = 'call_settled';

/**
 * Runs tool calls with one set of rules, whatever the tool: the `call:`
 * permission, a timeout that aborts the tool's work, cancellation when the
 * caller disconnects, a bound on concurrent calls per connection, and the
 * frames of the wire (`result`, or `chunk`… then `complete`, or `error`,
 * each with `timestamp` in Unix ms and the request `id`).
 */
export class CallRunner {
  /** Running calls by connection id, so a closed connection cancels its own. */
  private readonly running = new Map<string, Set<AbortController>>();

  constructor(private readonly options: CallRunnerOptions) {}

  /** Throws `forbidden` unless the caller holds `call:<what the tool needs>`. */
  authorize(caller: Caller, tool: Tool, params: unknown): void {
    const target = tool.permissionFor?.(params) ?? tool.name;
    if (!can(caller.identity, 'call', target)) {
      throw new HeraldError(
        'forbidden',
        `calling "${tool.name}" here needs the permission call:${target} (or a wider one such as call:${target.split('.')[0]}.*)`,
        {
          path: 'tool',
          permission: `call:${target}`,
        },
      );
    }
  }

  /**
   * Runs one call to its end and resolves to its answer, or rejects with a
   * HeraldError (`call_timeout` when it ran out of time). For HTTP and MCP
   * callers; socket callers use {@link callOverSocket}.
   */
  async execute(caller: Caller, tool: Tool, params: unknown, hooks: ExecuteHooks = {}): Promise<CallOutcome> {
    this.authorize(caller, tool, params);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(CALLER_GONE);
    if (hooks.signal?.aborted) onOuterAbort();
    hooks.signal?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      return await this.runTool(caller, tool, params, controller, hooks);
    } finally {
      hooks.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  /**
   * Runs a call for a socket: permission and concurrency are checked first
   * (throwing, so the caller answers with an `error` reply), then every frame
   * of the call goes to `sink`. Resolves when the final frame was sent, or
   * at once when the connection closed (the call is cancelled then).
   */
  async callOverSocket(sink: CallSink, caller: Caller, requestId: RequestId | undefined, tool: Tool, params: unknown): Promise<void> {
    this.authorize(caller, tool, params);
    const calls = this.running.get(sink.id);
    if (calls && calls.size >= this.options.maxConcurrentPerConnection) {
      throw new HeraldError(
        'limit_exceeded',
        `at most ${this.options.maxConcurrentPerConnection} calls may run at once on one connection; wait for one to finish`,
        {
          limit: 'maxConcurrentCallsPerConnection',
          max: this.options.maxConcurrentPerConnection,
        },
      );
    }
    const controller = new AbortController();
    const set = calls ?? new Set<AbortController>();
    set.add(controller);
    this.running.set(sink.id, set);
    const fields: Record<string, string> = {};
    const frame = (type: string, body: Record<string, unknown>) => {
      const out: Record<string, unknown> = { type };
      if (requestId !== undefined) out.id = requestId;
      Object.assign(out, fields, body, { timestamp: Date.now() });
      return out;
    };
    try {
      const outcome = await this.runTool(caller, tool, params, controller, {
        onChunk: (chunk) => sink.sendMessage(frame('chunk', { ...chunk })),
        onFrameField: (name, value) => (fields[name] = value),
      });
      if (!sink.isOpen) return;
      sink.sendMessage(
        outcome.isStreamed ? frame('complete', { content: '', result: outcome.result }) : frame('result', { data: outcome.result }),
      );
    } catch (err) {
      if (!sink.isOpen || controller.signal.reason === CALLER_GONE) return;
      const e = toHeraldError(err, tool, this.options.logger);
      const body: Record<string, unknown> = { code: e.code, message: e.message, content: e.message };
      if (e.details) body.details = e.details;
      sink.sendMessage(frame('error', body));
    } finally {
      set.delete(controller);
      if (set.size === 0) this.running.delete(sink.id);
    }
  }

  /** Number of calls running for a connection. */
  runningFor(connectionId: string): number {
    return this.running.get(connectionId)?.size ?? 0;
  }

  /** The connection closed: its calls are cancelled and send nothing more. */
  cancelAll(connectionId: string): void {
    const set = this.running.get(connectionId);
    if (!set) return;
    this.running.delete(connectionId);
    for (const controller of set) controller.abort(CALLER_GONE);
  }

  /** The server stops: every running call is cancelled. */
  stop(): void {
    for (const id of [...this.running.keys()]) this.cancelAll(id);
  }

  private async runTool(
    caller: Caller,
    tool: Tool,
    params: unknown,
    controller: AbortController,
    hooks: ExecuteHooks,
  ): Promise<CallOutcome> {
    const timeoutMs = tool.timeoutMs ?? this.options.defaultTimeoutMs;
    let isSettled = false;
    let isStreamed = false;
    const timeoutError = new HeraldError('call_timeout', `"${tool.name}" did not finish within ${timeoutMs} ms; it was cancelled`, {
      timeout_ms: timeoutMs,
    });
    const timer = setTimeout(() => controller.abort(timeoutError), timeoutMs);
    // A tool that ignores its signal must not hold the caller: the abort answers for it.
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () =>
        reject(
          controller.signal.reason === CALLER_GONE ? new HeraldError('internal_error', 'the caller went away') : controller.signal.reason,
        );
      if (controller.signal.aborted) onAbort();
      else controller.signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      const result = await Promise.race([
        tool.run(params, {
          ...caller,
          signal: controller.signal,
          emit: (chunk) => {
            if (isSettled || controller.signal.aborted) return;
            isStreamed = true;
            hooks.onChunk?.(chunk);
          },
          setFrameField: (name, value) => hooks.onFrameField?.(name, value),
        }),
        aborted,
      ]);
      return { result, isStreamed };
    } finally {
      isSettled = true;
      clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort(CALL_SETTLED);
    }
  }
}

function toHeraldError(err: unknown, tool: Tool, logger: CallRunnerOptions['logger']): HeraldError {
  if (err instanceof HeraldError) return err;
  logger.error({ err, tool: tool.name }, 'a tool failed unexpectedly');
  return new HeraldError('internal_error', `"${tool.name}" failed unexpectedly; see the server log`);
}
