import type { RequestId } from '@herald/protocol';

/**
 * Base class of every error the SDK rejects with. `code` is a stable string:
 * a server error code (`forbidden`, `invalid_params`, …) for
 * {@link HeraldRequestError}, else one of the SDK's own codes listed on each
 * subclass.
 */
export class HeraldError extends Error {
  override name = 'HeraldError';
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/**
 * The server answered a request with an `error` reply. `code`, `message` and
 * `details` are the server's.
 *
 * @example
 * ```ts
 * try {
 *   await client.publish({ type: 'bad type!' });
 * } catch (err) {
 *   if (err instanceof HeraldRequestError && err.code === 'invalid_event') console.log(err.details?.path);
 * }
 * ```
 */
export class HeraldRequestError extends HeraldError {
  override name = 'HeraldRequestError';
  /** The action of the request that failed (`publish`, `subscribe`, …). */
  readonly action: string;
  readonly requestId: RequestId | undefined;

  constructor(action: string, code: string, message: string, details?: Record<string, unknown>, requestId?: RequestId) {
    super(code, message, details);
    this.action = action;
    this.requestId = requestId;
  }
}

/** No reply came within the request's timeout. Code `timeout`. */
export class HeraldTimeoutError extends HeraldError {
  override name = 'HeraldTimeoutError';
  constructor(action: string, timeoutMs: number, details?: Record<string, unknown>) {
    super('timeout', `${action}: no reply from the server within ${timeoutMs} ms`, { action, timeoutMs, ...details });
  }
}

/**
 * The connection ended. Code `connection_lost` when the socket dropped while
 * a request was in flight (the SDK reconnects; sending it again is safe for
 * reads), `connection_closed` when the client is closed for good: by
 * {@link HeraldClient.close}, or by a close code that forbids reconnecting
 * (`closeCode` says which).
 */
export class HeraldConnectionError extends HeraldError {
  override name = 'HeraldConnectionError';
  readonly closeCode: number | undefined;
  readonly closeReason: string | undefined;

  constructor(code: 'connection_lost' | 'connection_closed', message: string, closeCode?: number, closeReason?: string) {
    super(code, message, closeCode === undefined ? undefined : { closeCode, closeReason });
    this.closeCode = closeCode;
    this.closeReason = closeReason;
  }
}

/**
 * A bounded SDK buffer is full: `publish_queue_full` when more events wait
 * for acknowledgement than `maxPendingPublishEvents`, `too_many_requests`
 * when more requests wait for a reply than `maxPendingRequests`.
 */
export class HeraldQueueFullError extends HeraldError {
  override name = 'HeraldQueueFullError';
  constructor(code: 'publish_queue_full' | 'too_many_requests', message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}
