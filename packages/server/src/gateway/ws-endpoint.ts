import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { type ClientMessage, decodeClientMessage } from '@herald/protocol';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthResult } from '../auth/authenticator.js';
import type { Identity } from '../auth/identity.js';
import type { HeraldConfig } from '../config/config-schema.js';
import { ClientConnection, remoteAddressOf } from '../connection/client-connection.js';
import type { ConnectionRegistry } from '../connection/connection-registry.js';
import { FlushScheduler } from '../connection/flush-scheduler.js';
import { TokenExpiry } from '../connection/token-expiry.js';
import { HeraldError } from '../errors/herald-error.js';
import type { Hub } from '../hub/hub.js';
import type { Logger } from '../logging/create-logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { type ActionRouter, describeUser } from './action-router.js';
import { isOriginAllowed } from './origin.js';
import { tokenFromRequest } from './request-token.js';

/**
 * Actions that change what the connection sees run one at a time, in the
 * order the client sent them: a `subscribe` with `since` finishes its replay
 * before a later `unsubscribe` or `context_switch` applies. Other actions
 * (publish, ping, history, calls) run at once.
 */
const ORDERED_ACTIONS: ReadonlySet<string> = new Set(['auth', 'subscribe', 'unsubscribe', 'context_switch', 'list_subscriptions']);

const WS_PATH = /^\/ws(?:\/events|\/([A-Za-z0-9_.:-]{1,64}))?\/?$/;

export interface WsEndpointDeps {
  config: HeraldConfig;
  hub: Hub;
  router: ActionRouter;
  registry: ConnectionRegistry;
  metrics: Metrics;
  audit: AuditLog;
  logger: Logger;
  version: string;
  authenticate(token: string): Promise<AuthResult>;
  headSeq(): number;
}

function shortId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('base64url')}`;
}

/** The WebSocket endpoint: upgrade checks, authentication, the message loop and liveness. */
export class WsEndpoint {
  private readonly wss: WebSocketServer;
  private readonly scheduler = new FlushScheduler();
  private readonly expiries = new WeakMap<ClientConnection, TokenExpiry>();
  /** The last ordered action of each connection; the next one runs after it. */
  private readonly orderedTails = new WeakMap<ClientConnection, Promise<void>>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private isStopping = false;

  constructor(private readonly deps: WsEndpointDeps) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: deps.config.limits.maxPayloadBytes,
      // Negotiated so browsers' offers are honoured, but ws never compresses for us: Herald compresses each
      // event once (server_no_context_takeover makes one compressed frame valid for every connection).
      perMessageDeflate: deps.config.compression ? { serverNoContextTakeover: true, threshold: Number.MAX_SAFE_INTEGER } : false,
      clientTracking: false,
    });
  }

  attach(server: Server): void {
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.sweepTimer = setInterval(() => this.sweep(), this.deps.config.limits.heartbeatIntervalMs);
    this.sweepTimer.unref();
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = WS_PATH.exec(url.pathname);
    if (!match) return refuseUpgrade(socket, 404, 'Not Found: WebSocket endpoints are /ws, /ws/events and /ws/:clientId');
    if (this.isStopping) return refuseUpgrade(socket, 503, 'Service Unavailable: shutting down');
    if (!isOriginAllowed(req, this.deps.config.corsOrigins)) {
      this.deps.logger.warn({ origin: req.headers.origin, remote_address: remoteAddressOf(req) }, 'websocket upgrade refused: origin not allowed');
      this.deps.audit.record('audit.origin_refused', { origin: req.headers.origin, remote_address: remoteAddressOf(req) }, { severity: 'warning' });
      return refuseUpgrade(socket, 403, 'Forbidden: Origin not allowed (set HERALD_CORS_ORIGINS)');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.onConnection(ws, req, url, match[1]);
    });
  }

  private async onConnection(ws: WebSocket, req: IncomingMessage, url: URL, requestedClientId: string | undefined): Promise<void> {
    const { config, metrics, registry } = this.deps;
    const header = req.headers['x-correlation-id'];
    const correlationId = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('correlation_id') ?? undefined;
    const pending: Identity = { id: 'pending', kind: 'anonymous', orgs: [], permissions: [] };
    const conn = new ClientConnection(
      ws,
      {
        clientId: shortId('c'),
        sessionId: shortId('s'),
        remoteAddress: remoteAddressOf(req),
        userAgent: req.headers['user-agent'],
        correlationId: correlationId || undefined,
        requestedClientId,
        wantsAllOrgs: url.searchParams.get('all_orgs') === 'true' || url.searchParams.get('all_orgs') === '1',
        compressionThresholdBytes: config.compressionThresholdBytes,
      },
      pending,
      config.limits,
      this.scheduler,
      { onSlowConsumer: (c, dropped) => this.onSlowConsumer(c, dropped) },
    );
    registry.add(conn);
    metrics.connectionOpened();
    ws.on('close', (code, reason) => this.onClose(conn, code, reason.toString()));
    ws.on('error', (err) => this.deps.logger.debug({ err, client_id: conn.id }, 'websocket error'));
    ws.on('pong', () => {
      conn.missedPings = 0;
    });
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    if (registry.size > config.limits.maxConnections) {
      return conn.close('connection_limit', `the server holds its maximum of ${config.limits.maxConnections} connections`);
    }
    if (registry.countForAddress(conn.info.remoteAddress) > config.limits.maxConnectionsPerIp) {
      return conn.close('connection_limit', `at most ${config.limits.maxConnectionsPerIp} connections per address`);
    }
    const token = tokenFromRequest(req, url);
    if (token !== undefined) return this.authenticateAndAdmit(conn, token);
    if (config.allowAnonymous) {
      return this.admit(conn, { id: 'anonymous', kind: 'anonymous', orgs: [], permissions: config.anonymousPermissions });
    }
    // No token yet: the first message must be {"action":"auth"} within the timeout.
    const timer = setTimeout(() => {
      if (!conn.isAuthenticated) conn.close('auth_failed', 'no token: send {"action":"auth","token":…} within the auth timeout');
    }, config.limits.authTimeoutMs);
    timer.unref();
  }

  private async authenticateAndAdmit(conn: ClientConnection, token: string): Promise<void> {
    const r = await this.deps.authenticate(token);
    if (!r.ok) {
      this.deps.audit.record('audit.auth_failed', { reason: r.code, remote_address: conn.info.remoteAddress, client_id: conn.id }, { severity: 'warning' });
      return conn.close('auth_failed', r.code === 'token_expired' ? `token expired: ${r.message}` : r.message);
    }
    this.admit(conn, r.identity);
  }

  private admit(conn: ClientConnection, identity: Identity): void {
    if (!conn.isOpen) return;
    const { config, registry } = this.deps;
    if (registry.countForUser(identity.id) >= config.limits.maxConnectionsPerUser && identity.kind !== 'admin') {
      return conn.close('connection_limit', `at most ${config.limits.maxConnectionsPerUser} connections per user`);
    }
    conn.setIdentity(identity);
    conn.isAuthenticated = true;
    registry.addUser(conn);
    this.deps.hub.attach(conn);
    this.armExpiry(conn);
    const welcome: Record<string, unknown> = {
      type: 'connected',
      client_id: conn.id,
      session_id: conn.info.sessionId,
      user: describeUser(conn),
      server: { name: 'herald', version: this.deps.version },
      heartbeat_s: Math.round(config.limits.heartbeatIntervalMs / 1000),
      seq: this.deps.headSeq(),
    };
    if (conn.correlationId !== undefined) welcome.correlation_id = conn.correlationId;
    conn.sendMessage(welcome);
    if (identity.kind !== 'admin') this.deps.audit.record('user_login', { user: identity.id, kind: identity.kind, client_id: conn.id }, { org: conn.org });
    this.deps.audit.record('connection.opened', this.lifecycleData(conn), { org: conn.org });
  }

  private armExpiry(conn: ClientConnection): void {
    let expiry = this.expiries.get(conn);
    // Most connections hold tokens that never expire: no timers, no memory for them.
    if (!expiry && conn.identity.expiresAtMs === undefined) return;
    if (!expiry) {
      const { tokenExpiringNoticeMs, tokenGraceMs } = this.deps.config.limits;
      expiry = new TokenExpiry(
        {
          onExpiring: (at) =>
            conn.sendMessage({ type: 'error', code: 'token_expiring', message: 'the token expires soon: send {"action":"auth","token":…} with a fresh one', details: { expires_at: new Date(at).toISOString() } }),
          onExpired: (graceMs) =>
            conn.sendMessage({ type: 'error', code: 'token_expired', message: `the token expired: send a fresh one within ${graceMs} ms to keep this connection`, details: { grace_ms: graceMs } }),
          onGraceOver: () => conn.close('token_expired', 'token expired and no fresh one arrived: reconnect with a new token'),
        },
        { noticeMs: tokenExpiringNoticeMs, graceMs: tokenGraceMs },
      );
      this.expiries.set(conn, expiry);
    }
    expiry.arm(conn.identity.expiresAtMs);
  }

  private onMessage(conn: ClientConnection, data: RawData, isBinary: boolean): void {
    conn.messagesIn++;
    conn.missedPings = 0;
    conn.lastSeenMs = Date.now();
    if (isBinary) {
      return conn.sendMessage({ type: 'error', code: 'invalid_frame', message: 'binary frames are not supported; send JSON as text frames' });
    }
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8');
    const retryAfterMs = conn.rateLimit.take();
    if (retryAfterMs > 0) {
      const reply: Record<string, unknown> = {
        type: 'error',
        code: 'rate_limited',
        message: `more than ${conn.messageLimit.perSecond} messages per second; slow down`,
        details: { retry_after_ms: retryAfterMs, limit: conn.messageLimit.name },
      };
      const id = idOf(text);
      if (id !== undefined) reply.id = id;
      return conn.sendMessage(reply);
    }
    const decoded = decodeClientMessage(text);
    if (!decoded.ok) {
      const reply: Record<string, unknown> = { type: 'error', code: decoded.error.code, message: decoded.error.message };
      const id = idOf(text);
      if (id !== undefined) reply.id = id;
      if (decoded.error.details) reply.details = decoded.error.details;
      return conn.sendMessage(reply);
    }
    const msg = decoded.value;
    if (!ORDERED_ACTIONS.has(msg.action)) return void this.run(conn, msg);
    // After the messages before it that change what this connection sees, however long their replay takes.
    const tail = (this.orderedTails.get(conn) ?? Promise.resolve()).then(() => this.run(conn, msg));
    this.orderedTails.set(conn, tail);
  }

  private async run(conn: ClientConnection, msg: ClientMessage): Promise<void> {
    try {
      if (msg.action === 'auth') return await this.onAuthMessage(conn, (msg as { token: string }).token, msg.id);
      if (!conn.isAuthenticated) throw new HeraldError('unauthorized', 'authenticate first: send {"action":"auth","token":…}');
      if (this.expiries.get(conn)?.isExpired && msg.action !== 'ping') {
        throw new HeraldError('token_expired', 'the token expired: send {"action":"auth","token":…} with a fresh one first');
      }
      const reply = await this.deps.router.handle(conn, msg);
      if (reply) conn.sendMessage(msg.id === undefined ? reply : { ...reply, id: msg.id });
    } catch (err) {
      if (err instanceof HeraldError && err.code === 'forbidden') {
        this.deps.audit.record('audit.permission_denied', { user: conn.identity.id, client_id: conn.id, action: msg.action, ...(err.details ?? {}) }, { org: conn.org, severity: 'warning' });
      }
      conn.sendMessage(this.errorReply(err, msg.id, conn));
    }
  }

  /** First authentication of a connection that came without a token, or a fresh token for a live one. */
  private async onAuthMessage(conn: ClientConnection, token: string, id: ClientMessage['id']): Promise<void> {
    if (!conn.isAuthenticated) return this.authenticateAndAdmit(conn, token);
    const r = await this.deps.authenticate(token);
    if (!r.ok) throw new HeraldError(r.code, r.message);
    if (r.identity.id !== conn.identity.id) {
      throw new HeraldError('forbidden', 'the new token is for a different user; open a new connection for that user', { path: 'token' });
    }
    conn.setIdentity({ ...r.identity, org: conn.org !== undefined && r.identity.orgs.includes(conn.org) ? conn.org : r.identity.org });
    this.armExpiry(conn);
    // Permissions may have shrunk: drop what the new token no longer allows, and say so.
    const dropped = this.deps.hub.revalidate(conn);
    if (dropped.length > 0) conn.sendMessage({ type: 'unsubscribed', subscription_ids: dropped, reason: 'permission' });
    const reply: Record<string, unknown> = { type: 'authenticated', user: describeUser(conn) };
    if (r.identity.expiresAtMs !== undefined) reply.expires_at = new Date(r.identity.expiresAtMs).toISOString();
    conn.sendMessage(id === undefined ? reply : { ...reply, id });
  }

  private errorReply(err: unknown, id: ClientMessage['id'], conn: ClientConnection): Record<string, unknown> {
    const reply: Record<string, unknown> = { type: 'error' };
    if (id !== undefined) reply.id = id;
    if (err instanceof HeraldError) {
      reply.code = err.code;
      reply.message = err.message;
      if (err.details) reply.details = err.details;
    } else {
      this.deps.logger.error({ err, client_id: conn.id }, 'unexpected error handling a message');
      reply.code = 'internal_error';
      reply.message = 'unexpected server error; the request had no acknowledged effect';
    }
    return reply;
  }

  private onSlowConsumer(conn: ClientConnection, droppedFrames: number): void {
    this.deps.metrics.eventsDropped += droppedFrames;
    this.deps.metrics.slowConsumersClosed++;
    this.deps.logger.warn({ client_id: conn.id, user: conn.identity.id }, 'slow consumer closed (4001)');
  }

  private lifecycleData(conn: ClientConnection): Record<string, unknown> {
    return {
      client_id: conn.id,
      session_id: conn.info.sessionId,
      user: conn.identity.id,
      remote_address: conn.info.remoteAddress,
      user_agent: conn.info.userAgent ?? null,
    };
  }

  private onClose(conn: ClientConnection, code: number, reason: string): void {
    const wasAuthenticated = conn.isAuthenticated;
    if (!this.deps.registry.remove(conn)) return;
    conn.markClosed();
    this.expiries.get(conn)?.clear();
    this.deps.hub.detach(conn);
    this.deps.metrics.connectionClosed();
    if (wasAuthenticated) {
      const closedBy = conn.closeReason ?? 'client';
      this.deps.audit.record(
        'connection.closed',
        { ...this.lifecycleData(conn), code: conn.closeCode ?? code, reason: closedBy, detail: conn.closeText ?? reason, duration_ms: Date.now() - conn.connectedAtMs },
        { org: conn.org },
      );
    }
  }

  /** Closes one connection on an admin's request (4503). */
  disconnect(id: string, by: Identity): boolean {
    const conn = this.deps.registry.get(id);
    if (!conn) return false;
    conn.close('disconnected_by_admin', `closed by ${by.id}`);
    this.deps.audit.record('audit.admin_disconnect', { admin: by.id, client_id: id, user: conn.identity.id }, { severity: 'warning' });
    return true;
  }

  /** Heartbeat and lifetime: one pass over all connections per interval. */
  private sweep(): void {
    const now = Date.now();
    const { maxConnectionLifetimeMs, idleTimeoutMs, heartbeatIntervalMs } = this.deps.config.limits;
    for (const conn of [...this.deps.registry.all()]) {
      if (conn.missedPings >= 2) {
        // Two pings in a row went unanswered: two intervals of silence.
        conn.close('heartbeat_timeout', `no pong within ${2 * heartbeatIntervalMs} ms`);
        conn.terminate();
        this.onClose(conn, 4004, 'heartbeat timeout');
        continue;
      }
      if (maxConnectionLifetimeMs > 0 && now - conn.connectedAtMs > maxConnectionLifetimeMs) {
        conn.close('lifetime_exceeded', 'the connection reached its maximum lifetime; reconnect');
        continue;
      }
      if (idleTimeoutMs > 0 && now - conn.lastSeenMs > idleTimeoutMs && this.deps.hub.subscriptionCountOf(conn) === 0) {
        conn.close('lifetime_exceeded', 'idle timeout; reconnect when needed');
        continue;
      }
      conn.missedPings++;
      conn.ping();
    }
  }

  /** Closes every connection with 4002 so clients reconnect elsewhere and resume. */
  async stop(): Promise<void> {
    this.isStopping = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    const { registry } = this.deps;
    for (const conn of registry.all()) conn.close('shutting_down', 'server shutting down: reconnect and resume with since');
    const deadline = Date.now() + 2_000;
    while (registry.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of [...registry.all()]) {
      conn.terminate();
      this.onClose(conn, 1006, 'terminated at shutdown');
    }
    this.wss.close();
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text.split(':')[0]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

/** The request id of a frame that failed validation, when it can be read safely. */
function idOf(text: string): string | number | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const id = (v as { id?: unknown }).id;
      if ((typeof id === 'string' && id.length <= 128) || (typeof id === 'number' && Number.isFinite(id))) return id;
    }
  } catch {
    // not JSON: no id to echo
  }
  return undefined;
}
