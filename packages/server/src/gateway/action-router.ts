import {
  type ClientMessage,
  type RequestId,
  normalizeHistoryQuery,
} from '@herald/protocol';
import type { AuthResult } from '../auth/authenticator.js';
import { isAdmin } from '../auth/identity.js';
import type { ClientConnection } from '../connection/client-connection.js';
import { HeraldError } from '../errors/herald-error.js';
import { describeSubscription, type Hub } from '../hub/hub.js';
import type { Publisher } from '../hub/publisher.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { HistoryService } from '../history/history-service.js';

export interface ActionRouterDeps {
  hub: Hub;
  publisher: Publisher;
  registry: EventRegistry;
  history: HistoryService;
  authenticate(token: string): Promise<AuthResult>;
  /** Called after a successful `auth` re-authentication. */
  onReauthenticated(connection: ClientConnection): void;
}

type Reply = Record<string, unknown> & { type: string };

/**
 * Runs one decoded client message and returns the reply (without `id`;
 * the caller echoes it). Throws HeraldError for request errors.
 */
export class ActionRouter {
  constructor(private readonly deps: ActionRouterDeps) {}

  async handle(conn: ClientConnection, msg: ClientMessage): Promise<Reply | undefined> {
    const { hub } = this.deps;
    switch (msg.action) {
      case 'ping':
        return { type: 'pong', timestamp: (msg as { timestamp?: unknown }).timestamp, server_time: new Date().toISOString() };
      case 'get_metadata':
        return { type: 'metadata', data: this.deps.registry.metadata() };
      case 'subscribe': {
        const m = msg as Extract<ClientMessage, { action: 'subscribe' }>;
        const sub = hub.subscribe(conn, m);
        conn.sendMessage(withId({ type: 'subscribed', ...describeSubscription(sub) }, m.id));
        if (m.since !== undefined && m.since !== 'latest') await hub.startReplay(conn, sub, m.since);
        return undefined;
      }
      case 'unsubscribe': {
        const m = msg as Extract<ClientMessage, { action: 'unsubscribe' }>;
        const ids = hub.unsubscribe(conn, m);
        const reply: Reply = { type: 'unsubscribed', subscription_ids: ids };
        if (m.subscription_id !== undefined) reply.subscription_id = m.subscription_id;
        if (m.event_types !== undefined) reply.event_types = m.event_types;
        return reply;
      }
      case 'list_subscriptions':
        return { type: 'subscriptions', subscriptions: hub.list(conn) };
      case 'publish': {
        const m = msg as Extract<ClientMessage, { action: 'publish' }>;
        const items = m.events ?? [m.event];
        const r = await this.deps.publisher.publish(conn.identity, items, { isBatch: m.events !== undefined });
        const reply: Reply = { type: 'published', ids: r.ids, seqs: r.seqs };
        if (r.duplicates.length > 0) reply.duplicates = r.duplicates;
        return reply;
      }
      case 'history': {
        const m = msg as Extract<ClientMessage, { action: 'history' }>;
        const q = normalizeHistoryQuery(m.query);
        if (!q.ok) throw new HeraldError(q.error.code as 'invalid_params', q.error.message, prefixPath(q.error.details, 'query'));
        const page = await this.deps.history.query(conn.identity, conn.org, q.value, conn.correlationId);
        return { type: 'history', events: page.events, next_cursor: page.next_cursor };
      }
      case 'auth': {
        const m = msg as Extract<ClientMessage, { action: 'auth' }>;
        const r = await this.deps.authenticate(m.token);
        if (!r.ok) throw new HeraldError(r.code, r.message);
        conn.setIdentity(r.identity);
        this.deps.onReauthenticated(conn);
        return { type: 'authenticated', user: describeUser(conn) };
      }
      default:
        throw new HeraldError('unknown_action', `unknown action "${msg.action}"; the actions are ping, get_metadata, subscribe, unsubscribe, list_subscriptions, publish, history, auth`, {
          path: 'action',
        });
    }
  }
}

function withId(reply: Reply, id: RequestId | undefined): Reply {
  return id === undefined ? reply : { ...reply, id };
}

function prefixPath(details: Record<string, unknown> | undefined, prefix: string): Record<string, unknown> | undefined {
  if (!details || typeof details.path !== 'string') return details;
  return { ...details, path: `${prefix}.${details.path}` };
}

/** The `user` object of `connected` and `authenticated`. */
export function describeUser(conn: ClientConnection): Record<string, unknown> {
  const id = conn.identity;
  const user: Record<string, unknown> = { id: id.id, kind: id.kind, permissions: id.permissions };
  if (conn.org !== undefined) user.org = conn.org;
  if (id.orgs.length > 0) user.orgs = id.orgs;
  if (isAdmin(id)) user.is_admin = true;
  return user;
}
