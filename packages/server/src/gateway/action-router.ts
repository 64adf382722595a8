import {
  type ClientMessage,
  type RequestId,
  normalizeHistoryQuery,
} from '@herald/protocol';
import type { AuditLog } from '../audit/audit-log.js';
import { isAdmin } from '../auth/identity.js';
import type { ClientConnection } from '../connection/client-connection.js';
import { HeraldError } from '../errors/herald-error.js';
import { describeSubscription, type Hub } from '../hub/hub.js';
import type { Publisher } from '../hub/publisher.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { HistoryService } from '../history/history-service.js';
import type { PublishRateLimiter } from './publish-rate-limiter.js';
import type { ActionResolver } from '../tools/action-aliases.js';
import type { CallRunner } from '../tools/call-runner.js';
import type { Caller } from '../tools/tool.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { ConnectionRecord } from '../routes/route-table.js';

export interface ActionRouterDeps {
  hub: Hub;
  publisher: Publisher;
  registry: EventRegistry;
  history: HistoryService;
  publishLimiter: PublishRateLimiter;
  audit: AuditLog;
  tools: ToolRegistry;
  calls: CallRunner;
  /** Actions that are not built in: aliases of tools, then the configured routes. */
  resolveAction: ActionResolver;
  /** Told when an admitted connection closes, after its calls were cancelled: `$disconnect`, agent sessions. */
  onConnectionClosed?: Array<(conn: ClientConnection) => void>;
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
        conn.sendMessage(withId({ type: 'subscribed', ...describeSubscription(sub), seq: this.deps.publisher.headSeq }, m.id));
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
        this.deps.publishLimiter.take(conn.identity.id, items.length);
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
      case 'context_switch':
        return this.contextSwitch(conn, (msg as Extract<ClientMessage, { action: 'context_switch' }>).org);
      case 'call': {
        const m = msg as Extract<ClientMessage, { action: 'call' }>;
        const tool = this.deps.tools.get(m.tool);
        if (!tool) {
          throw new HeraldError('unknown_tool', `no tool "${m.tool}"; the tools are ${this.deps.tools.names.join(', ') || 'none'}`, { path: 'tool' });
        }
        await this.deps.calls.callOverSocket(conn, callerOf(conn), m.id, tool, m.params);
        return undefined;
      }
      default: {
        const m = msg as Extract<ClientMessage, { route: true }>;
        const found = this.deps.resolveAction(msg.action, { action: msg.action, ...m.params });
        if (!found) {
          throw new HeraldError(
            'unknown_action',
            `unknown action "${msg.action}"; the actions are ping, get_metadata, subscribe, unsubscribe, list_subscriptions, publish, history, auth, context_switch, call, and the routes this server configures`,
            { path: 'action' },
          );
        }
        await this.deps.calls.callOverSocket(conn, callerOf(conn), m.id, found.tool, found.params);
        return undefined;
      }
    }
  }

  /** The connection closed: its running calls are cancelled, then `$disconnect` and agent sessions are told. */
  connectionClosed(conn: ClientConnection): void {
    this.deps.calls.cancelAll(conn.id);
    if (!conn.isAuthenticated) return;
    for (const listener of this.deps.onConnectionClosed ?? []) listener(conn);
  }

  /** The context switch: subscriptions see the new org's events from the next event on. */
  private contextSwitch(conn: ClientConnection, org: string): Reply {
    const identity = conn.identity;
    if (!identity.orgs.includes(org) && !isAdmin(identity)) {
      throw new HeraldError('forbidden', `you may switch only to an org listed in your token's orgs claim (${identity.orgs.join(', ') || 'none'})`, {
        path: 'org',
      });
    }
    const from = conn.org ?? null;
    conn.org = org;
    this.deps.audit.record('audit.context_switch', { user: identity.id, client_id: conn.id, from, to: org }, { org });
    return { type: 'context_switched', from, to: org, context_type: 'organization' };
  }
}

function withId(reply: Reply, id: RequestId | undefined): Reply {
  return id === undefined ? reply : { ...reply, id };
}

function prefixPath(details: Record<string, unknown> | undefined, prefix: string): Record<string, unknown> | undefined {
  if (!details || typeof details.path !== 'string') return details;
  return { ...details, path: `${prefix}.${details.path}` };
}

/** A connection as the tools see their caller. */
export function callerOf(conn: ClientConnection): Caller {
  const caller: Caller = { identity: conn.identity, org: conn.org, connectionId: conn.id, sessionId: conn.info.sessionId };
  if (conn.correlationId !== undefined) caller.correlationId = conn.correlationId;
  return caller;
}

/** A connection's record, as `$connect`, `$disconnect` and route backends get it. */
export function recordOf(conn: ClientConnection): ConnectionRecord {
  return { connection_id: conn.id, session_id: conn.info.sessionId, actor_id: conn.identity.id, connected_at: new Date(conn.connectedAtMs).toISOString() };
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
