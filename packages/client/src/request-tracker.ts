import type { RequestId, ServerMessage } from '@herald/protocol';
import { HeraldQueueFullError, HeraldRequestError, HeraldTimeoutError } from './errors.js';

/** A client frame with its `action`; the tracker adds the `id`. */
export interface OutgoingFrame {
  action: string;
  [param: string]: unknown;
}

/** Settings of a {@link RequestTracker}. */
export interface RequestTrackerOptions {
  /** Default time a request may wait for its reply, queueing included, in ms. */
  timeoutMs: number;
  /** Most requests waiting to be sent or answered at once. */
  maxPending: number;
}

interface Pending {
  id: number;
  frame: OutgoingFrame & { id: number };
  isSent: boolean;
  timer: ReturnType<typeof setTimeout>;
  timeoutMs: number;
  onChunk: ((chunk: Extract<ServerMessage, { type: 'chunk' }>) => void) | undefined;
  resolve: (reply: ServerMessage) => void;
  reject: (error: unknown) => void;
}

/**
 * Pairs requests with replies by id, enforces a timeout on each, and holds
 * the requests made while no socket is open until one is.
 *
 * Contract: every tracked promise settles exactly once: with the reply, with
 * a {@link HeraldRequestError} for an `error` reply, with a
 * {@link HeraldTimeoutError}, or with the error given to {@link failSent} or
 * {@link failAll}. Replies with an unknown id (late, after a timeout) are
 * ignored.
 */
export class RequestTracker {
  readonly #options: RequestTrackerOptions;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(options: RequestTrackerOptions) {
    this.#options = options;
  }

  /** Requests waiting to be sent or answered. */
  get size(): number {
    return this.#pending.size;
  }

  /**
   * Tracks a new request and returns its frame (with its id) and the promise
   * of its reply. `isSent` says the caller sends the frame itself right away;
   * otherwise {@link takeUnsent} hands it out later. Throws
   * {@link HeraldQueueFullError} when `maxPending` requests wait already,
   * unless `isBounded` is false (for callers bounded elsewhere, as publishes
   * are by their own queue). With `onChunk`, `chunk` frames of the request
   * go there and restart its timeout; the final frame settles it.
   */
  track(
    frame: OutgoingFrame,
    options: {
      timeoutMs?: number;
      isSent?: boolean;
      isBounded?: boolean;
      onChunk?: (chunk: Extract<ServerMessage, { type: 'chunk' }>) => void;
    } = {},
  ): { frame: OutgoingFrame & { id: number }; reply: Promise<ServerMessage> } {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    if ((options.isBounded ?? true) && this.#pending.size >= this.#options.maxPending) {
      throw new HeraldQueueFullError(
        'too_many_requests',
        `${this.#pending.size} requests already wait for a reply (maxPendingRequests); await some before sending more`,
        { maxPendingRequests: this.#options.maxPending },
      );
    }
    const id = this.#nextId++;
    let entry!: Pending;
    const reply = new Promise<ServerMessage>((resolve, reject) => {
      entry = {
        id,
        frame: { ...frame, id },
        isSent: options.isSent ?? false,
        timer: undefined as unknown as ReturnType<typeof setTimeout>,
        timeoutMs,
        onChunk: options.onChunk,
        resolve,
        reject,
      };
    });
    this.#arm(entry);
    this.#pending.set(id, entry);
    return { frame: entry.frame, reply };
  }

  /** Frames not sent yet, oldest first; each is marked sent as it is returned. */
  takeUnsent(): Array<OutgoingFrame & { id: number }> {
    const out: Array<OutgoingFrame & { id: number }> = [];
    for (const entry of this.#pending.values()) {
      if (entry.isSent) continue;
      entry.isSent = true;
      out.push(entry.frame);
    }
    return out;
  }

  /**
   * Settles the request a reply belongs to. Returns false when the reply
   * carries no id this tracker knows.
   */
  settle(reply: ServerMessage): boolean {
    const id = (reply as { id?: RequestId }).id;
    if (typeof id !== 'number') return false;
    const entry = this.#pending.get(id);
    if (!entry) return false;
    if (reply.type === 'chunk') {
      if (!entry.onChunk) return false;
      clearTimeout(entry.timer);
      this.#arm(entry);
      entry.onChunk(reply);
      return true;
    }
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    if (reply.type === 'error') {
      entry.reject(new HeraldRequestError(entry.frame.action, reply.code, reply.message, reply.details, id));
    } else {
      entry.resolve(reply);
    }
    return true;
  }

  /**
   * Their socket is gone: requests already sent reject with `error`, except
   * those `isResendable` accepts, which wait to be sent again (within their
   * original timeout). Unsent ones keep waiting.
   */
  failSent(error: unknown, isResendable: (frame: OutgoingFrame) => boolean = () => false): void {
    for (const entry of [...this.#pending.values()]) {
      if (!entry.isSent) continue;
      if (isResendable(entry.frame)) entry.isSent = false;
      else this.#reject(entry, error);
    }
  }

  /** Rejects every request. */
  failAll(error: unknown): void {
    for (const entry of [...this.#pending.values()]) this.#reject(entry, error);
  }

  #arm(entry: Pending): void {
    entry.timer = setTimeout(() => {
      this.#pending.delete(entry.id);
      entry.reject(new HeraldTimeoutError(entry.frame.action, entry.timeoutMs));
    }, entry.timeoutMs);
  }

  #reject(entry: Pending, error: unknown): void {
    this.#pending.delete(entry.id);
    clearTimeout(entry.timer);
    entry.reject(error);
  }
}
