import type { CallChunkMessage, ServerMessage } from '@herald/protocol';
import { AsyncQueue } from './async-queue.js';
import { HeraldError } from './errors.js';

/** One chunk of a streamed answer, as the server sent it. */
export interface CallChunk {
  content: unknown;
  /** MCP progress, when the tool reports it. */
  progress?: number;
  total?: number;
  /** The agent task the chunk belongs to, for agent calls. */
  taskId?: string;
}

/** Options of {@link HeraldClient.call}, {@link HeraldClient.stream} and {@link HeraldClient.action}. */
export interface CallOptions {
  /**
   * Longest wait for the answer, ms; for a stream, the longest wait between
   * two chunks. Default: the client's `requestTimeoutMs`.
   */
  timeoutMs?: number;
}

/** Most chunks held for a reader that has not read them; older ones are dropped. */
const CHUNK_BUFFER = 10_000;

/**
 * A call's answer as it arrives: iterate it for the chunks, await `result`
 * for the final value (the `result` frame's `data`, or the `complete`
 * frame's `result`). Reading the chunks is optional; `result` settles
 * either way, and rejects with a {@link HeraldRequestError} on an `error`
 * frame.
 *
 * @example
 * ```ts
 * const reply = client.stream('mcp.call', { server: 'everything', name: 'trigger-long-running-operation', arguments: { duration: 3, steps: 3 } });
 * for await (const chunk of reply) console.log(chunk.progress, '/', chunk.total);
 * console.log(await reply.result);
 * ```
 */
export class CallStream<T = unknown> implements AsyncIterable<CallChunk> {
  /** The final value. */
  readonly result: Promise<T>;
  #taskId: string | undefined;
  readonly #chunks = new AsyncQueue<CallChunk>({ capacity: CHUNK_BUFFER });

  /** @internal Built by the client from its request. */
  constructor(send: (onChunk: (chunk: CallChunkMessage) => void) => Promise<ServerMessage>) {
    this.result = send((frame) => {
      if (frame.task_id !== undefined) this.#taskId = frame.task_id;
      const chunk: CallChunk = { content: frame.content };
      if (frame.progress !== undefined) chunk.progress = frame.progress;
      if (frame.total !== undefined) chunk.total = frame.total;
      if (frame.task_id !== undefined) chunk.taskId = frame.task_id;
      this.#chunks.push(chunk);
    }).then(
      (reply) => {
        this.#chunks.end();
        const taskId = (reply as { task_id?: string }).task_id;
        if (taskId !== undefined) this.#taskId = taskId;
        return finalValue<T>(reply);
      },
      (err: unknown) => {
        this.#chunks.end();
        throw err;
      },
    );
    // Awaiting `result` is optional for stream readers; an unread rejection must not crash the process.
    this.result.catch(() => undefined);
  }

  /** The agent task id, once a frame carried it. */
  get taskId(): string | undefined {
    return this.#taskId;
  }

  [Symbol.asyncIterator](): AsyncIterator<CallChunk> {
    return this.#chunks;
  }
}

/** The answer of a `result` or `complete` frame. */
export function finalValue<T>(reply: ServerMessage): T {
  if (reply.type === 'result') return reply.data as T;
  if (reply.type === 'complete') return reply.result as T;
  throw new HeraldError('unexpected_reply', `expected a "result" or "complete" reply, got "${reply.type}"`);
}
