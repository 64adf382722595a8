import type { HeraldConfig } from '../config/config-schema.js';
import type { ConnectionRecord } from './route-table.js';
import { redact } from './http-backend.js';

/** What `$connect` decided. */
export type ConnectVerdict = { isAllowed: true } | { isAllowed: false; reason: string };

export interface ConnectionHooksDeps {
  routes: HeraldConfig['routes'];
  logger: { warn(obj: object, msg: string): void };
}

/** Default longest `$connect` / `$disconnect` may take, ms. */
const DEFAULT_HOOK_TIMEOUT_MS = 10_000;

/**
 * `$connect` and `$disconnect`: each connection's record POSTed to the
 * configured URL. A `$connect` that answers non-2xx, fails or times out
 * refuses the connection (fail closed: it is the admission check);
 * `$disconnect` is best effort and only logged.
 */
export class ConnectionHooks {
  constructor(private readonly deps: ConnectionHooksDeps) {}

  get hasConnectHook(): boolean {
    return this.deps.routes.$connect !== undefined;
  }

  async connected(record: ConnectionRecord): Promise<ConnectVerdict> {
    const route = this.deps.routes.$connect;
    if (!route?.url) return { isAllowed: true };
    try {
      const res = await this.post(route, record);
      const text = await res.text().catch(() => '');
      if (res.ok) return { isAllowed: true };
      return { isAllowed: false, reason: `refused by $connect (HTTP ${res.status}${text ? `: ${text.slice(0, 80)}` : ''})` };
    } catch (err) {
      this.deps.logger.warn({ err, url: redact(route.url) }, '$connect failed; the connection is refused');
      return { isAllowed: false, reason: '$connect could not be reached; try again later' };
    }
  }

  disconnected(record: ConnectionRecord): void {
    const route = this.deps.routes.$disconnect;
    if (!route?.url) return;
    this.post(route, record)
      .then((res) => res.body?.cancel())
      .catch((err: unknown) => this.deps.logger.warn({ err, url: redact(route.url!) }, '$disconnect failed'));
  }

  private post(route: HeraldConfig['routes'][string], record: ConnectionRecord): Promise<Response> {
    return fetch(route.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(route.headers ?? {}) },
      body: JSON.stringify(record),
      signal: AbortSignal.timeout(route.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS),
    });
  }
}
