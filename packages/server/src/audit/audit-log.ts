import type { Logger } from '../logging/create-logger.js';

/** Publishes as the server itself; resolves once durable. */
export type SystemPublish = (events: unknown[]) => Promise<unknown>;

/**
 * Herald's own events on the normal stream: the audit trail (`audit.*`,
 * visible to admins only) and connection lifecycle (`connection.*`,
 * `user_login`). Fire and forget: a failure to record is logged, never
 * thrown into the request that caused it.
 */
export class AuditLog {
  constructor(
    private readonly publish: SystemPublish,
    private readonly logger: Logger,
    private readonly isEnabled: boolean,
  ) {}

  /** Records one event; `org` scopes it to a tenant (org isolation applies as to any event). */
  record(type: string, data: Record<string, unknown>, options: { org?: string | undefined; severity?: string } = {}): void {
    if (!this.isEnabled) return;
    const event: Record<string, unknown> = { type, source: 'herald', severity: options.severity ?? 'info', data };
    if (options.org !== undefined) event.org = options.org;
    this.publish([event]).catch((err: unknown) => this.logger.warn({ err, type }, 'could not record an audit event'));
  }
}
