import type { AgentInfo, AgentSendResult } from '@herald/protocol';
import { isAdmin } from '../auth/identity.js';
import { HeraldError } from '../errors/herald-error.js';
import type { HeraldConfig } from '../config/config-schema.js';
import { callBackend } from '../routes/http-backend.js';
import type { Caller, ToolChunk } from '../tools/tool.js';
import type { AgentDefinition } from './agent-definition.js';
import type { AgentFolder } from './agent-folder.js';
import { AgentSessions, newSessionId } from './agent-sessions.js';
import type { AgentTask, TaskRegistry } from './task-registry.js';

type Backend = HeraldConfig['agents']['backends'][number];

export type { AgentInfo };

/** What `agents.send` takes. */
export interface SendRequest {
  agent: string;
  message: string;
  session_id?: string;
  context?: Record<string, unknown>;
}

type SendResult = AgentSendResult;

/** How a send reaches its caller: the call's signal and frames. */
export interface SendContext {
  signal: AbortSignal;
  emit(chunk: ToolChunk): void;
  setFrameField(name: 'task_id', value: string): void;
}

export interface AgentServiceDeps {
  backends: readonly Backend[];
  folder: AgentFolder;
  tasks: TaskRegistry;
  /** Publishes system events (agent_request, agent_response, agent_error); fire and forget. */
  publish(events: Array<Record<string, unknown>>): void;
  /** Largest message, bytes (limits.maxPayloadBytes). */
  maxMessageBytes: number;
  logger: { warn(obj: object, msg: string): void };
}

/** Longest the backend is given to hear that a session ended, ms. */
const SESSION_END_TIMEOUT_MS = 5_000;
/** Characters of a message or reply kept in the `payload` of agent events. */
const EVENT_PAYLOAD_CHARS = 1_000;

/**
 * Agents: definitions from the folder, backends from the config, messages
 * streamed from backend to caller as tasks with a status, one session per
 * connection and agent, and the events that let a feed follow a
 * conversation (`correlation_id` = the caller's, else the session id).
 */
export class AgentService {
  private readonly sessions = new AgentSessions();
  private readonly backends: Map<string, Backend>;

  constructor(private readonly deps: AgentServiceDeps) {
    this.backends = new Map(deps.backends.map((b) => [b.name, b]));
  }

  async list(): Promise<AgentInfo[]> {
    const { definitions, problems } = await this.deps.folder.scan();
    for (const p of problems) this.deps.logger.warn({ dir: this.deps.folder.dir }, `agent definition skipped: ${p}`);
    const byName = new Map(definitions.map((d) => [d.name, d]));
    const names = new Set([...this.backends.keys(), ...byName.keys()]);
    return [...names].sort().map((name) => this.info(name, byName.get(name)));
  }

  async get(name: string): Promise<AgentInfo> {
    const found = (await this.list()).find((a) => a.name === name);
    if (!found) throw await this.unknownAgent(name);
    return found;
  }

  /** Creates or replaces the definition file of `name`; `created` says which. */
  async put(
    name: string,
    body: { description: string; tools?: string[]; prompt?: string; backend?: string },
  ): Promise<{ agent: AgentInfo; created: boolean }> {
    const existed = (await this.deps.folder.scan()).definitions.some((d) => d.name === name);
    const def: AgentDefinition = { name, description: body.description, tools: body.tools ?? [], prompt: body.prompt ?? '' };
    if (body.backend !== undefined) def.backend = body.backend;
    await this.deps.folder.write(def);
    return { agent: this.info(name, def), created: !existed };
  }

  async delete(name: string): Promise<{ name: string; deleted: true }> {
    if (await this.deps.folder.remove(name)) return { name, deleted: true };
    if (this.backends.has(name)) {
      throw new HeraldError(
        'not_found',
        `agent "${name}" has no definition file to delete; its backend is set in the config file (agents.backends), remove it there`,
        { path: 'name' },
      );
    }
    throw await this.unknownAgent(name);
  }

  /**
   * Sends one message and relays the reply: a task is created (`task_id` on
   * every frame), the backend is POSTed `{message, session_id, context,
   * user, agent, task_id, prompt?}`, chunks are emitted as they arrive.
   */
  async send(caller: Caller, req: SendRequest, ctx: SendContext): Promise<SendResult> {
    const size = Buffer.byteLength(req.message);
    if (size > this.deps.maxMessageBytes) {
      throw new HeraldError(
        'payload_too_large',
        `the message is ${size} bytes; an agent message may hold at most ${this.deps.maxMessageBytes} bytes (limits.maxPayloadBytes)`,
        {
          path: 'message',
          size_bytes: size,
          max_bytes: this.deps.maxMessageBytes,
        },
      );
    }
    const { backend, definition } = await this.resolve(req.agent);
    const sessionId =
      req.session_id ??
      (caller.connectionId ? this.sessions.sessionFor(caller.connectionId, req.agent, caller.identity.id) : newSessionId());
    const task = this.deps.tasks.create({ agent: req.agent, session_id: sessionId, user: caller.identity.id, org: caller.org });
    ctx.setFrameField('task_id', task.task_id);
    const startedMs = Date.now();
    const common = { agent: req.agent, task_id: task.task_id, session_id: sessionId, user: caller.identity.id };
    this.event(caller, sessionId, 'agent_request', { ...common, payload: clip(req.message) });
    this.deps.tasks.setStatus(task.task_id, 'running');
    try {
      const body: Record<string, unknown> = {
        message: req.message,
        session_id: sessionId,
        context: req.context ?? {},
        user: caller.identity.id,
        agent: req.agent,
        task_id: task.task_id,
      };
      if (definition?.prompt) body.prompt = definition.prompt;
      const reply = await callBackend({
        label: `agent "${req.agent}"`,
        url: backend.url,
        body,
        ...(backend.headers && { headers: backend.headers }),
        signal: withTimeout(
          ctx.signal,
          backend.timeoutMs,
          `agent "${req.agent}" did not finish its reply within ${backend.timeoutMs} ms (agents.backends timeoutMs); it was cancelled`,
        ),
        onChunk: (chunk) => {
          this.deps.tasks.countChunk(task.task_id);
          ctx.emit(chunk);
        },
      });
      const content = reply.isStreamed ? reply.text : contentOf(reply.result);
      // A unary reply is still one piece of the answer: callers reading chunks see it too.
      if (!reply.isStreamed && content !== '') ctx.emit({ content });
      this.deps.tasks.setStatus(task.task_id, 'completed');
      this.event(caller, sessionId, 'agent_response', {
        ...common,
        payload: clip(content),
        chunks: reply.isStreamed ? reply.chunks : 1,
        duration_ms: Date.now() - startedMs,
      });
      const result: SendResult = { task_id: task.task_id, session_id: sessionId, agent: req.agent, content };
      if (reply.result !== undefined) result.result = reply.result;
      return result;
    } catch (err) {
      const reason = ctx.signal.aborted ? ctx.signal.reason : err;
      const e = reason instanceof HeraldError ? reason : undefined;
      const status = e ? 'failed' : 'cancelled';
      const error = e ? { code: e.code, message: e.message } : { code: 'cancelled', message: 'the caller went away' };
      this.deps.tasks.setStatus(task.task_id, status, error);
      this.event(
        caller,
        sessionId,
        'agent_error',
        { ...common, code: error.code, error: error.message, status, duration_ms: Date.now() - startedMs },
        'error',
      );
      throw err;
    }
  }

  task(taskId: string): AgentTask | undefined {
    return this.deps.tasks.get(taskId);
  }

  /** The caller's recent tasks (all for admins, else those of its org), newest first. */
  tasks(caller: Caller, limit: number): AgentTask[] {
    return this.deps.tasks.list((t) => isAdmin(caller.identity) || t.org === caller.org, limit);
  }

  /**
   * A connection closed: its sessions end, and each backend that had one
   * is told with a POST of `{type: "session_end", session_id, user, agent}`
   * (best effort; a failure is logged).
   */
  connectionClosed(connectionId: string): void {
    for (const s of this.sessions.close(connectionId)) {
      const backend = this.backends.get(this.definitionBackends.get(s.agent) ?? s.agent);
      if (!backend) continue;
      void fetch(backend.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(backend.headers ?? {}) },
        body: JSON.stringify({ type: 'session_end', session_id: s.sessionId, user: s.user, agent: s.agent }),
        signal: AbortSignal.timeout(SESSION_END_TIMEOUT_MS),
      })
        .then((res) => res.body?.cancel())
        .catch((err: unknown) =>
          this.deps.logger.warn({ err, agent: s.agent, session_id: s.sessionId }, 'could not tell the agent backend that a session ended'),
        );
    }
  }

  /** Open sessions, for tests and metrics. */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** The backend of each agent a definition's `backend` key points elsewhere, as last resolved (for session ends). */
  private readonly definitionBackends = new Map<string, string>();

  private async resolve(agent: string): Promise<{ backend: Backend; definition: AgentDefinition | undefined }> {
    const { definitions } = await this.deps.folder.scan();
    const definition = definitions.find((d) => d.name === agent);
    const backendName = definition?.backend ?? agent;
    const backend = this.backends.get(backendName);
    if (backend) {
      if (backendName !== agent) this.definitionBackends.set(agent, backendName);
      return { backend, definition };
    }
    if (definition) {
      throw new HeraldError(
        'upstream_unavailable',
        `agent "${agent}" is defined but no backend answers it: add agents.backends entry "${backendName}" to the config`,
        { agent },
      );
    }
    throw await this.unknownAgent(agent);
  }

  private async unknownAgent(name: string): Promise<HeraldError> {
    const names = (await this.list()).map((a) => a.name);
    return new HeraldError(
      'not_found',
      `no agent "${name.slice(0, 64)}"; the agents are ${names.join(', ') || 'none (configure agents.backends)'}`,
      { path: 'agent' },
    );
  }

  private info(name: string, def: AgentDefinition | undefined): AgentInfo {
    const backendName = def?.backend ?? name;
    const isAvailable = this.backends.has(backendName);
    return {
      name,
      description: def?.description ?? '',
      tools: def?.tools ?? [],
      prompt: def?.prompt ?? '',
      backend: isAvailable ? backendName : null,
      is_available: isAvailable,
      has_definition: def !== undefined,
    };
  }

  private event(caller: Caller, sessionId: string, type: string, data: Record<string, unknown>, severity = 'info'): void {
    const event: Record<string, unknown> = { type, source: 'herald', severity, correlation_id: caller.correlationId ?? sessionId, data };
    if (caller.org !== undefined) event.org = caller.org;
    this.deps.publish([event]);
  }
}

/** `signal`, also aborted with `call_timeout` after `timeoutMs`. */
function withTimeout(signal: AbortSignal, timeoutMs: number, message: string): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new HeraldError('call_timeout', message, { timeout_ms: timeoutMs })), timeoutMs);
  timer.unref();
  const onAbort = () => {
    clearTimeout(timer);
    controller.abort(signal.reason);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  controller.signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
    { once: true },
  );
  return controller.signal;
}

function clip(text: string): string {
  return text.length > EVENT_PAYLOAD_CHARS ? `${text.slice(0, EVENT_PAYLOAD_CHARS)}…` : text;
}

/** The text of a unary reply: its `content` (or `message`, `text`) when a string, else ''. */
function contentOf(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object') {
    for (const key of ['content', 'message', 'text', 'response']) {
      const v = (result as Record<string, unknown>)[key];
      if (typeof v === 'string') return v;
    }
  }
  return '';
}
