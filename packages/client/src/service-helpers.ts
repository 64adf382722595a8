import type { PublishEvent, PublishResult } from './publish-queue.js';

/** Anything that publishes events: a {@link HeraldClient} or a publisher derived from one. */
export interface Publisher {
  publish(events: PublishEvent | PublishEvent[]): Promise<PublishResult>;
}

/** A publisher that stamps one `correlation_id` on every event it publishes. */
export interface CorrelatedPublisher extends Publisher {
  readonly correlationId: string;
  /** Like {@link emits}, with this publisher's correlation id. */
  emits<A extends unknown[], R>(type: string, fn: (...args: A) => Promise<R>, options?: EmitsOptions<A>): (...args: A) => Promise<R>;
}

/**
 * Wraps `publisher` so every event carries `correlation_id` (events that set
 * their own keep it), for tracing one request across services.
 *
 * @example
 * ```ts
 * const trace = withCorrelation(client, 'req-42');
 * await trace.publish({ type: 'order.received', data: { total: 12 } });
 * ```
 */
export function withCorrelation(publisher: Publisher, correlationId: string): CorrelatedPublisher {
  const stamp = (event: PublishEvent): PublishEvent => ({ ...event, correlation_id: event.correlation_id ?? correlationId });
  const correlated: CorrelatedPublisher = {
    correlationId,
    publish: (events) => publisher.publish(Array.isArray(events) ? events.map(stamp) : stamp(events)),
    emits: (type, fn, options) => emits(correlated, type, fn, options),
  };
  return correlated;
}

/** Settings of {@link emits}. */
export interface EmitsOptions<A extends unknown[] = unknown[]> {
  /** `source` of the three events. */
  source?: string;
  /** Extra `data` for the `.started` event, from the call's arguments. */
  startedData?: (...args: A) => Record<string, unknown>;
  /**
   * Receives a failure to publish (the queue is full, the client closed). The
   * wrapped function's own result never depends on publishing; default: ignore.
   */
  onPublishError?: (error: unknown) => void;
  /** Clock in ms, for tests; default `performance.now`. */
  now?: () => number;
}

/**
 * Wraps an async function so each call publishes `<type>.started`, then
 * `<type>.completed` with `data.duration_ms` or `<type>.failed` with
 * `data.duration_ms` and `data.error` (the message). Publishing never delays
 * the function nor changes its result: events are queued, not awaited.
 *
 * @example
 * ```ts
 * const charge = emits(client, 'billing.charge', async (orderId: string) => stripe.charge(orderId));
 * await charge('o-17'); // billing.charge.started, then billing.charge.completed { duration_ms }
 * ```
 */
export function emits<A extends unknown[], R>(
  publisher: Publisher,
  type: string,
  fn: (...args: A) => Promise<R>,
  options: EmitsOptions<A> = {},
): (...args: A) => Promise<R> {
  const now = options.now ?? (() => globalThis.performance.now());
  const send = (event: PublishEvent): void => {
    const withSource = options.source !== undefined && event.source === undefined ? { ...event, source: options.source } : event;
    publisher.publish(withSource).catch((err: unknown) => options.onPublishError?.(err));
  };
  return async (...args: A): Promise<R> => {
    const startedAt = now();
    const extra = options.startedData ? options.startedData(...args) : {};
    send({ type: `${type}.started`, data: extra });
    try {
      const result = await fn(...args);
      send({ type: `${type}.completed`, severity: 'success', data: { duration_ms: elapsed(startedAt, now()) } });
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      send({ type: `${type}.failed`, severity: 'error', data: { duration_ms: elapsed(startedAt, now()), error: message } });
      throw err;
    }
  };
}

function elapsed(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) * 1000) / 1000;
}
