import type { AgentInfo, AgentSendResult, AgentTask } from '@herald/protocol';
import type { CallOptions, CallStream } from './call-stream.js';

/** The two ways the helpers reach the server: a call for the answer, a stream for the chunks. */
export interface ToolCaller {
  call<T>(tool: string, params: Record<string, unknown>, options?: CallOptions): Promise<T>;
  stream<T>(tool: string, params: Record<string, unknown>, options?: CallOptions): CallStream<T>;
}

/** Options of {@link AgentsApi.send}. */
export interface SendOptions extends CallOptions {
  /** Continue this session instead of the connection's own session with the agent. */
  sessionId?: string;
  /** Passed to the agent backend as `context`. */
  context?: Record<string, unknown>;
}

/**
 * `client.agents`: the agents the server offers and their streamed replies
 * (the `agents.*` tools; permission `call:agents.send` to send).
 */
export class AgentsApi {
  /** @internal */
  constructor(private readonly tools: ToolCaller) {}

  /**
   * Sends a message to an agent. Iterate the reply for its chunks as the
   * agent writes them; `result` is the whole answer with its task and
   * session ids; `taskId` is known from the first frame.
   *
   * @example
   * ```ts
   * const reply = client.agents.send('echo', 'What sold best this month?');
   * for await (const chunk of reply) process.stdout.write(String(chunk.content));
   * const { task_id, content } = await reply.result;
   * ```
   */
  send(agent: string, message: string, options: SendOptions = {}): CallStream<AgentSendResult> {
    const { sessionId, context, ...callOptions } = options;
    const params: Record<string, unknown> = { agent, message };
    if (sessionId !== undefined) params.session_id = sessionId;
    if (context !== undefined) params.context = context;
    return this.tools.stream<AgentSendResult>('agents.send', params, callOptions);
  }

  /** Every agent, with whether a backend answers it. */
  async list(options?: CallOptions): Promise<AgentInfo[]> {
    return (await this.tools.call<{ agents: AgentInfo[] }>('agents.list', {}, options)).agents;
  }

  /** One agent; rejects with `not_found` when there is none by that name. */
  get(name: string, options?: CallOptions): Promise<AgentInfo> {
    return this.tools.call<AgentInfo>('agents.get', { name }, options);
  }

  /** A task's status: `queued`, `running`, `completed`, `failed` or `cancelled`. */
  taskStatus(taskId: string, options?: CallOptions): Promise<AgentTask> {
    return this.tools.call<AgentTask>('agents.task_status', { task_id: taskId }, options);
  }
}
