// Composition root: the one place that builds concrete modules and owns
// start and stop order.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { HeraldEvent } from '@herald/protocol';
import { resolveAdminToken } from './auth/admin-token-file.js';
import { type Authenticator, AuthenticatorChain, CachingAuthenticator } from './auth/authenticator.js';
import type { Identity } from './auth/identity.js';
import { JwtAuthenticator } from './auth/jwt-authenticator.js';
import { StaticTokenAuthenticator, parseApiKey } from './auth/static-token-authenticator.js';
import type { Bus } from './bus/bus.js';
import { MemoryBus } from './bus/memory-bus.js';
import { MemorySeqSource } from './bus/memory-seq-source.js';
import { RedisBus } from './bus/redis-bus.js';
import { parseRedisUrl } from './bus/redis-connection.js';
import { RedisSeqSource } from './bus/redis-seq-source.js';
import type { SeqSource } from './bus/seq-source.js';
import { isSeqFence } from './store/seq-fence.js';
import type { Cluster } from './cluster/cluster.js';
import { LocalCluster } from './cluster/local-cluster.js';
import { RedisCluster, defaultNodeId } from './cluster/redis-cluster.js';
import type { HeraldConfig } from './config/config-schema.js';
import { ConfigError } from './errors/herald-error.js';
import { AuditLog } from './audit/audit-log.js';
import { ConnectionRegistry } from './connection/connection-registry.js';
import { ActionRouter, recordOf } from './gateway/action-router.js';
import { PublishRateLimiter } from './gateway/publish-rate-limiter.js';
import { registerConnectionRoutes } from './gateway/routes/connection-routes.js';
import { buildHttpApp } from './gateway/http-app.js';
import { findDashboardDir, registerDashboardRoutes } from './gateway/routes/dashboard-routes.js';
import { registerEventRoutes } from './gateway/routes/event-routes.js';
import { registerMcpEndpointRoutes } from './gateway/routes/mcp-endpoint-routes.js';
import { registerMcpRoutes } from './gateway/routes/mcp-routes.js';
import { registerSystemRoutes } from './gateway/routes/system-routes.js';
import { WsEndpoint } from './gateway/ws-endpoint.js';
import { HistoryService } from './history/history-service.js';
import { Hub } from './hub/hub.js';
import { Publisher } from './hub/publisher.js';
import { ReplayBuffer } from './hub/replay-buffer.js';
import { createLogger, type Logger } from './logging/create-logger.js';
import { McpRegistry } from './mcp/mcp-registry.js';
import { mcpTools } from './mcp/mcp-tools.js';
import { Metrics } from './metrics/metrics.js';
import { EventRegistry } from './registry/event-registry.js';
import type { EventStore } from './store/event-store.js';
import { PostgresEventStore } from './store/postgres-event-store.js';
import { SqliteEventStore } from './store/sqlite-event-store.js';
import { AgentFolder } from './agents/agent-folder.js';
import { AgentService } from './agents/agent-service.js';
import { agentTools } from './agents/agent-tools.js';
import { TaskRegistry } from './agents/task-registry.js';
import { registerAgentRoutes } from './gateway/routes/agent-routes.js';
import { registerKvRoutes } from './gateway/routes/kv-routes.js';
import { KvService } from './kv/kv-service.js';
import type { KvStore } from './kv/kv-store.js';
import { kvTools } from './kv/kv-tools.js';
import { PostgresKvStore } from './kv/postgres-kv-store.js';
import { SqliteKvStore } from './kv/sqlite-kv-store.js';
import { ConnectionHooks } from './routes/connection-hooks.js';
import { RouteTable } from './routes/route-table.js';
import { aliasResolver, firstResolver } from './tools/action-aliases.js';
import { CallRunner } from './tools/call-runner.js';
import { metricsTools } from './tools/metrics-tools.js';
import { ToolRegistry } from './tools/tool-registry.js';
import type { Tool } from './tools/tool.js';
import { VERSION } from './version.js';
import { registerWebhookRoutes } from './gateway/routes/webhook-routes.js';
import { checkWebhookHost } from './webhooks/address-guard.js';
import { PostgresWebhookStore } from './webhooks/postgres-webhook-store.js';
import { SqliteWebhookStore } from './webhooks/sqlite-webhook-store.js';
import { WebhookAdmin, definitionsFromConfig } from './webhooks/webhook-admin.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { WebhookSender } from './webhooks/webhook-sender.js';
import type { WebhookStore } from './webhooks/webhook-store.js';

/** A running Herald. */
export interface HeraldHandle {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** `http://host:port` */
  readonly httpUrl: string;
  /** `ws://host:port/ws` */
  readonly wsUrl: string;
  /** The admin token in force (configured or generated). */
  readonly adminToken: string;
  /** True when the admin token was generated at this start. */
  readonly isAdminTokenGenerated: boolean;
  /** `http://host:port/#token=…` */
  readonly dashboardUrl: string;
  /** What the store and bus are, for a banner. */
  readonly storeDescription: string;
  readonly busDescription: string;
  /** Publishes as the server itself (system events, tests). */
  publish(events: unknown[]): Promise<{ ids: string[]; seqs: number[] }>;
  /**
   * Adds a tool of your own to the `call` action (permission `call:<name>`
   * unless the tool says otherwise).
   *
   * @example
   * herald.registerTool({ name: 'orders.lookup', description: 'One order by id', run: async (p) => db.order(p.id) });
   */
  registerTool(tool: Tool): void;
  /** Closes connections (4002), flushes the store, stops listening. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** An event store to use instead of the one `config.store` names, not yet opened (fault-injection tests wrap one). */
  store?: EventStore;
}

const SYSTEM_IDENTITY: Identity = { id: 'herald', kind: 'admin', orgs: [], permissions: ['admin'] };

function buildStore(config: HeraldConfig, dataDir: string, logger: Logger): EventStore {
  const spec = config.store ?? `sqlite:${resolve(dataDir, 'herald.db')}`;
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    return new SqliteEventStore({ path: path === ':memory:' ? ':memory:' : resolve(path), synchronous: config.sqliteSynchronous, logger });
  }
  // A `schema` query parameter picks the schema (default `herald`); the store reads it.
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) return new PostgresEventStore({ connectionString: spec, logger });
  throw new ConfigError([
    `store = "${spec.split('@').pop()}": this build supports sqlite:<path>, sqlite::memory: and postgres://user@host/database[?schema=name]`,
  ]);
}

/** The KV table lives where the events do: the same SQLite file, or the same PostgreSQL database and schema. */
function buildKvStore(config: HeraldConfig, dataDir: string, logger: Logger): KvStore {
  const spec = config.store ?? `sqlite:${resolve(dataDir, 'herald.db')}`;
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    return new SqliteKvStore({ path: path === ':memory:' ? ':memory:' : resolve(path) });
  }
  return new PostgresKvStore({ connectionString: spec, logger });
}

/** Webhooks live beside the event log: in its SQLite file, or in its PostgreSQL schema. */
function buildWebhookStore(config: HeraldConfig, dataDir: string, logger: Logger): WebhookStore {
  const spec = config.store ?? `sqlite:${resolve(dataDir, 'herald.db')}`;
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    return new SqliteWebhookStore({ path: path === ':memory:' ? ':memory:' : resolve(path) });
  }
  return new PostgresWebhookStore({ connectionString: spec, logger });
}

/** Config-file webhooks whose host is private are refused at start, as the API refuses them. */
async function checkConfigWebhooks(config: HeraldConfig, logger: Logger): Promise<void> {
  if (config.webhookDelivery.allowPrivate) return;
  const problems: string[] = [];
  for (const [i, webhook] of config.webhooks.entries()) {
    const check = await checkWebhookHost(new URL(webhook.url).hostname);
    if (!check.ok) problems.push(`webhooks[${i}].url: ${check.reason}`);
    else if (check.addresses.length === 0) logger.warn({ url: webhook.url }, `webhooks[${i}]: the host does not resolve yet; delivery will retry`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Seqs a starting node settles below the store's highest, so appends still in flight elsewhere are decided before it serves replays. */
const START_SETTLE_SEQS = 10_000;

/**
 * The bus and the seq source: a local counter with the memory bus; in a
 * cluster, the Redis counter and stream, with gaps settled from the shared
 * store (which must be PostgreSQL: a per-node SQLite file is no shared log).
 */
async function buildBus(config: HeraldConfig, store: EventStore, logger: Logger): Promise<{ bus: Bus; seqs: SeqSource; afterSeq: number }> {
  const afterSeq = await store.lastSeq();
  if (config.bus === 'memory') return { bus: new MemoryBus(), seqs: new MemorySeqSource(afterSeq), afterSeq };
  if (!config.bus.startsWith('redis://') && !config.bus.startsWith('rediss://')) {
    throw new ConfigError([`bus = "${config.bus.split('@').pop()}": use "memory" or redis://host:6379/0?prefix=herald`]);
  }
  const target = parseRedisUrl(config.bus);
  if (!isSeqFence(store)) {
    throw new ConfigError([`bus = ${target.description}: several nodes need one shared store; set HERALD_STORE=postgres://… (the store is ${store.description})`]);
  }
  await store.settle(Math.max(1, afterSeq - START_SETTLE_SEQS + 1), afterSeq);
  const bus = new RedisBus({ target, settle: (from, to) => store.settle(from, to), gapTimeoutMs: config.cluster.gapTimeoutMs, logger });
  const seqs = new RedisSeqSource({ redis: bus.redis, target, storeLastSeq: () => store.lastSeq() });
  return { bus, seqs, afterSeq };
}

function buildAuthenticator(config: HeraldConfig, adminToken: string): AuthenticatorChain {
  const problems: string[] = [];
  const keys = config.apiKeys.flatMap((spec, i) => {
    try {
      return [parseApiKey(spec)];
    } catch (err) {
      problems.push(`apiKeys[${i}]: ${(err as Error).message}`);
      return [];
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  const members: Authenticator[] = [new StaticTokenAuthenticator(adminToken, keys)];
  // Static tokens first: they are a hash lookup, and a JWT-shaped API key stays an API key.
  const { secret, publicKey, jwksUrl, issuer, audience } = config.jwt;
  if ([secret, publicKey, jwksUrl, issuer, audience].some((v) => v !== undefined)) members.push(new JwtAuthenticator({ jwt: config.jwt }));
  return new AuthenticatorChain(members);
}

/** Starts Herald with a validated config (see config/load-config.ts). */
export async function startHerald(config: HeraldConfig, options: StartOptions = {}): Promise<HeraldHandle> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat ?? 'json' });
  const dataDir = resolve(config.dataDir);
  const admin = resolveAdminToken(dataDir, config.adminToken);
  const auth = new CachingAuthenticator(buildAuthenticator(config, admin.token));
  const authenticate = (token: string) => auth.authenticate(token);
  const store = options.store ?? buildStore(config, dataDir, logger);
  const webhookDefinitions = definitionsFromConfig(config.webhooks);
  await checkConfigWebhooks(config, logger);
  await store.open();
  const { bus, seqs, afterSeq } = await buildBus(config, store, logger).catch(async (err: unknown) => {
    await store.close().catch(() => undefined);
    throw err;
  });
  const nodeId = config.cluster.nodeId ?? defaultNodeId(hostname(), process.pid);
  const cluster: Cluster =
    bus instanceof RedisBus
      ? new RedisCluster({
          nodeId,
          redis: bus.redis,
          target: parseRedisUrl(config.bus),
          heartbeatIntervalMs: config.cluster.heartbeatIntervalMs,
          nodeTimeoutMs: config.cluster.nodeTimeoutMs,
          logger,
        })
      : new LocalCluster(nodeId);
  const kvStore = buildKvStore(config, dataDir, logger);
  await kvStore.open();
  const webhookStore = buildWebhookStore(config, dataDir, logger);
  await webhookStore.open();

  const eventRegistry = new EventRegistry(config.registry);
  const buffer = new ReplayBuffer(config.replayBufferEvents);
  // The metrics read the hub's subscription count once it exists.
  const hubRef: { hub?: Hub } = {};
  const registry = new ConnectionRegistry();
  const metrics = new Metrics({
    storeCount: () => store.count(),
    storeSize: () => store.sizeBytes(),
    subscriptions: () => hubRef.hub?.subscriptionCount ?? 0,
    isStoreWritable: (): boolean => publisher.storeState.isWritable,
  });
  const publisher = new Publisher({
    registry: eventRegistry,
    store,
    bus,
    seqs,
    metrics,
    maxBatchEvents: config.limits.maxBatchEvents,
    logger,
    isSharedLog: bus instanceof RedisBus,
  });
  const hub = new Hub({ resolver: eventRegistry, limits: config.limits, store, buffer, metrics, headSeq: () => publisher.headSeq });
  hubRef.hub = hub;
  const publishAsSystem = (events: unknown[]) => publisher.publish(SYSTEM_IDENTITY, events, { isBatch: true, defaultSource: 'herald' });
  const sender = new WebhookSender({ allowPrivate: config.webhookDelivery.allowPrivate, userAgent: `Herald-Webhooks/${VERSION}` });
  const dispatcher = new WebhookDispatcher({
    events: store,
    store: webhookStore,
    send: (request) => sender.send(request),
    publish: publishAsSystem,
    resolver: eventRegistry,
    settings: config.webhookDelivery,
    nodeId,
    logger,
    lastSeq: () => store.lastSeq(),
  });
  // Every event on the bus is durable and comes in seq order: it joins the replay buffer, then fans out.
  try {
    await bus.start((event: HeraldEvent, json: string) => {
      buffer.push({ event, json });
      hub.dispatch(event, json);
      // Webhooks read the log itself; this only tells them to look.
      dispatcher.nudge(event.seq);
    }, afterSeq);
    // A new deployment's counter starts above the store before the first publish.
    if (seqs instanceof RedisSeqSource) await seqs.seed();
  } catch (err) {
    // Redis unreachable at start: nothing is left open behind the error.
    await bus.stop().catch(() => undefined);
    metrics.stop();
    await Promise.all([store.close(), kvStore.close(), webhookStore.close()].map((p) => p.catch(() => undefined)));
    throw err;
  }
  await dispatcher.start(webhookDefinitions);
  const webhookAdmin = new WebhookAdmin({ dispatcher, events: store, send: (request) => sender.send(request), allowPrivate: config.webhookDelivery.allowPrivate });
  const history = new HistoryService({ store, resolver: eventRegistry, limits: config.limits });

  const app = await buildHttpApp({
    logger,
    version: VERSION,
    bodyLimitBytes: Math.max(config.limits.maxPayloadBytes, 1024 * 1024),
    corsOrigins: config.corsOrigins,
    authenticate,
  });
  let isReady = false;
  const startedAtMs = Date.now();
  registerSystemRoutes(app, {
    version: VERSION,
    startedAtMs,
    store,
    bus,
    metrics,
    activeConnections: () => registry.size,
    isReady: () => isReady,
    storeState: () => publisher.storeState,
  });
  const publishLimiter = new PublishRateLimiter(config.limits.publishesPerSecond);
  const audit = new AuditLog(publishAsSystem, logger, config.lifecycleEvents);
  registerEventRoutes(app, { publisher, publishLimiter, history, store, registry: eventRegistry });

  const publishQuietly = (events: Array<Record<string, unknown>>) => {
    publishAsSystem(events).catch((err: unknown) => logger.warn({ err, type: events[0]?.type }, 'could not publish a system event'));
  };
  const kv = new KvService({
    store: kvStore,
    onChange: (org, data) => publishQuietly([{ type: 'kv.updated', source: 'herald', severity: 'debug', data, ...(org !== undefined && { org }) }]),
  });
  const taskRegistry = new TaskRegistry((task) =>
    publishQuietly([
      {
        type: 'agents.task_status',
        source: 'herald',
        severity: task.status === 'failed' ? 'error' : 'info',
        correlation_id: task.session_id,
        data: { task_id: task.task_id, status: task.status, agent: task.agent, session_id: task.session_id, ...(task.error && { error: task.error }) },
        ...(task.org !== undefined && { org: task.org }),
      },
    ]),
  );
  const agents = new AgentService({
    backends: config.agents.backends,
    folder: new AgentFolder(config.agents.dir ?? resolve(dataDir, 'agents')),
    tasks: taskRegistry,
    publish: publishQuietly,
    maxMessageBytes: config.limits.maxPayloadBytes,
    logger,
  });
  const mcp = new McpRegistry({
    servers: config.mcp.servers,
    publish: (type, severity, data) => publishAsSystem([{ type, source: 'mcp-monitor', severity, data }]),
    logger,
  });
  const tools = new ToolRegistry();
  tools.registerAll(
    metricsTools({
      snapshot: () => metrics.snapshot(),
      sections: async () => ({ kv: await kv.metricsSection(), mcp: { servers: mcp.all().map((m) => ({ name: m.name, status: m.status })) } }),
    }),
  );
  tools.registerAll(
    mcpTools({
      registry: mcp,
      maxArgumentsBytes: config.mcp.maxArgumentsBytes,
      callTimeoutMs: config.limits.callTimeoutMs,
      publishCalled: (data, org) =>
        publishQuietly([{ type: 'mcp.tool.called', source: 'mcp-monitor', severity: data.outcome === 'ok' ? 'info' : 'warning', data, ...(org !== undefined ? { org } : {}) }]),
    }),
  );
  tools.registerAll(kvTools(kv));
  const agentToolList = agentTools(agents);
  const longestAgentMs = Math.max(0, ...config.agents.backends.map((b) => b.timeoutMs));
  // agents.send may run as long as its slowest backend; the backend's own timeout fires first, with a precise message.
  tools.registerAll(agentToolList.map((t) => (t.name === 'agents.send' && longestAgentMs > 0 ? { ...t, timeoutMs: longestAgentMs + 1_000 } : t)));
  const calls = new CallRunner({
    defaultTimeoutMs: config.limits.callTimeoutMs,
    maxConcurrentPerConnection: config.limits.maxConcurrentCallsPerConnection,
    logger,
  });
  const routeTable = new RouteTable({
    routes: config.routes,
    tools,
    sendToAgent: (ctx, request) => agents.send(ctx, request, ctx),
    defaultMaxPayloadBytes: config.limits.maxPayloadBytes,
    recordOf: (id) => {
      const conn = registry.get(id);
      return conn && recordOf(conn);
    },
  });
  const hooks = new ConnectionHooks({ routes: config.routes, logger });
  const resolveAction = firstResolver(aliasResolver(tools), routeTable.resolve);
  const router = new ActionRouter({
    hub,
    publisher,
    registry: eventRegistry,
    history,
    publishLimiter,
    audit,
    tools,
    calls,
    resolveAction,
    onConnectionClosed: [(conn) => hooks.disconnected(recordOf(conn)), (conn) => agents.connectionClosed(conn.id)],
  });
  const ws = new WsEndpoint({ config, hub, router, registry, metrics, audit, logger, version: VERSION, authenticate, headSeq: () => publisher.headSeq, hooks });
  ws.attach(app.server);
  registerConnectionRoutes(app, { registry, hub, ws, cluster });
  registerKvRoutes(app, { calls, tools });
  registerAgentRoutes(app, { calls, tools, agents });
  registerMcpRoutes(app, { mcp, tools, calls });
  registerMcpEndpointRoutes(app, { publisher, history, store, registry: eventRegistry, version: VERSION });
  await mcp.start();
  registerWebhookRoutes(app, webhookAdmin);
  if (config.dashboard) await registerDashboardRoutes(app, findDashboardDir());

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const hostForUrl = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const httpUrl = `http://${hostForUrl}:${port}`;
  await cluster.start(() => ({
    node_id: nodeId,
    url: httpUrl,
    version: VERSION,
    started_at: new Date(startedAtMs).toISOString(),
    connections: registry.size,
    delivered_seq: bus.deliveredSeq,
  }));
  isReady = true;

  const timers: NodeJS.Timeout[] = [];
  if (config.metricsEventIntervalMs > 0) {
    const t = setInterval(() => {
      void Promise.all([metrics.snapshot(), kv.metricsSection()])
        .then(([snapshot, kvSection]) => publishAsSystem([{ type: 'metrics', source: 'herald', severity: 'debug', priority: 'low', data: { ...snapshot, kv: kvSection } }]))
        .catch((err: unknown) => logger.warn({ err }, 'could not publish the metrics event'));
    }, config.metricsEventIntervalMs);
    t.unref();
    timers.push(t);
  }
  const retention = setInterval(() => {
    void store
      .applyRetention({ maxEvents: config.retention.maxEvents, maxAgeMs: config.retention.maxAgeMs }, new Date())
      .then((n) => n > 0 && logger.info({ removed: n }, 'retention removed old events'))
      .catch((err: unknown) => logger.warn({ err }, 'retention failed'));
  }, config.retention.intervalMs);
  retention.unref();
  timers.push(retention);
  const kvSweep = setInterval(() => {
    void kv.sweep().catch((err: unknown) => logger.warn({ err }, 'removing expired KV keys failed'));
  }, config.kvSweepIntervalMs);
  kvSweep.unref();
  timers.push(kvSweep);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      isReady = false;
      for (const t of timers) clearInterval(t);
      calls.stop();
      await mcp.stop();
      await cluster.stop();
      await ws.stop();
      await app.close();
      publisher.stop();
      const webhooksStopped = dispatcher.stop();
      sender.close();
      await webhooksStopped;
      await webhookStore.close();
      await bus.stop();
      await store.close();
      await kvStore.close();
      metrics.stop();
    })());

  return {
    port,
    httpUrl,
    wsUrl: `ws://${hostForUrl}:${port}/ws`,
    adminToken: admin.token,
    isAdminTokenGenerated: admin.generated,
    dashboardUrl: `${httpUrl}/#token=${encodeURIComponent(admin.token)}`,
    storeDescription: store.description,
    busDescription: bus.description,
    publish: publishAsSystem,
    registerTool: (tool) => tools.register(tool),
    stop,
  };
}
