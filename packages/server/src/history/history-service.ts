import type { HeraldEvent, HistoryPage, HistoryQuery } from '@herald/protocol';
import type { Identity } from '../auth/identity.js';
import { isAdmin } from '../auth/identity.js';
import { can } from '../auth/permissions.js';
import type { LimitsConfig } from '../config/config-schema.js';
import { HeraldError } from '../errors/herald-error.js';
import { compileFilter } from '../matching/compile-filter.js';
import type { FilterFieldResolver } from '../matching/matching.js';
import type { EventStore } from '../store/event-store.js';
import { ADMIN_ONLY_CATEGORY } from '../hub/hub.js';

/**
 * History queries for HTTP and WS alike, with the same visibility rules as
 * live delivery: org isolation, a connection's correlation id, and the
 * `history:<pattern>` permission.
 */
export class HistoryService {
  constructor(private readonly deps: { store: EventStore; resolver: FilterFieldResolver; limits: LimitsConfig }) {}

  async query(identity: Identity, org: string | undefined, query: HistoryQuery, correlationId?: string): Promise<HistoryPage<HeraldEvent>> {
    if (query.limit > this.deps.limits.maxHistoryLimit) {
      throw new HeraldError('limit_exceeded', `limit must be at most ${this.deps.limits.maxHistoryLimit}`, {
        path: 'limit',
        limit: 'maxHistoryLimit',
        max: this.deps.limits.maxHistoryLimit,
      });
    }
    const patterns = query.types ?? ['*'];
    for (const p of patterns) {
      if (!can(identity, 'history', p)) {
        throw new HeraldError('forbidden', `reading history of "${p}" needs the permission history:${p} (or a wider one)`, {
          path: 'types',
          permission: `history:${p}`,
        });
      }
    }
    const seesAll = identity.kind === 'admin' || (isAdmin(identity) && query.org !== undefined);
    const q: HistoryQuery = { ...query };
    if (correlationId !== undefined) q.correlation_id = correlationId;
    const filter = query.filters ? compileFilter(query.filters, this.deps.resolver) : undefined;
    let predicate: ((e: HeraldEvent) => boolean) | undefined = filter;
    const admin = isAdmin(identity);
    if (!seesAll) {
      // Org isolation: the caller's org and org-less events only; the audit trail for admins only.
      if (q.org !== undefined && q.org !== org) {
        throw new HeraldError('forbidden', `you may read only your own org's history${org ? ` ("${org}")` : ''}`, { path: 'org' });
      }
      delete q.org;
      predicate = (e) =>
        (e.org === undefined || e.org === org) && (admin || e.category !== ADMIN_ONLY_CATEGORY) && (filter === undefined || filter(e));
    }
    return this.deps.store.history(q, predicate);
  }
}
