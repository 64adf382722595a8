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
import { ActionRouter } from './gateway/action-router.js';
import { PublishRateLimiter } from './gateway/publish-rate-limiter.js';
import { registerConnectionRoutes } from './gateway/routes/connection-routes.js';
import { buildHttpApp } from './gateway/http-app.js';
import { findDashboardDir, registerDashboardRoutes } from './gateway/routes/dashboard-routes.js';
import { registerEventRoutes } from './gateway/routes/event-routes.js';
import { registerSystemRoutes } from './gateway/routes/system-routes.js';
import { WsEndpoint } from './gateway/ws-endpoint.js';
import { HistoryService } from './history/history-service.js';
import { Hub } from './hub/hub.js';
import { Publisher } from './hub/publisher.js';
import { ReplayBuffer } from './hub/replay-buffer.js';
import { createLogger, type Logger } from './logging/create-logger.js';
import { Metrics } from './metrics/metrics.js';
import { EventRegistry } from './registry/event-registry.js';
import type { EventStore } from './store/event-store.js';
import { PostgresEventStore } from './store/postgres-event-store.js';
import { SqliteEventStore } from './store/sqlite-event-store.js';
import { VERSION } from './version.js';

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
  const publisher = new Publisher({ registry: eventRegistry, store, bus, seqs, metrics, maxBatchEvents: config.limits.maxBatchEvents, logger });
  const hub = new Hub({ resolver: eventRegistry, limits: config.limits, store, buffer, metrics, headSeq: () => publisher.headSeq });
  hubRef.hub = hub;
  // Every event on the bus is durable and comes in seq order: it joins the replay buffer, then fans out.
  try {
    await bus.start((event: HeraldEvent, json: string) => {
      buffer.push({ event, json });
      hub.dispatch(event, json);
    }, afterSeq);
    // A new deployment's counter starts above the store before the first publish.
    if (seqs instanceof RedisSeqSource) await seqs.seed();
  } catch (err) {
    // Redis unreachable at start: nothing is left open behind the error.
    await bus.stop().catch(() => undefined);
    metrics.stop();
    await store.close().catch(() => undefined);
    throw err;
  }
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
  const publishAsSystem = (events: unknown[]) => publisher.publish(SYSTEM_IDENTITY, events, { isBatch: true, defaultSource: 'herald' });
  const audit = new AuditLog(publishAsSystem, logger, config.lifecycleEvents);
  registerEventRoutes(app, { publisher, publishLimiter, history, store, registry: eventRegistry });

  const router = new ActionRouter({ hub, publisher, registry: eventRegistry, history, publishLimiter, audit });
  const ws = new WsEndpoint({ config, hub, router, registry, metrics, audit, logger, version: VERSION, authenticate, headSeq: () => publisher.headSeq });
  ws.attach(app.server);
  registerConnectionRoutes(app, { registry, hub, ws, cluster });
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
      void metrics
        .snapshot()
        .then((snapshot) => publishAsSystem([{ type: 'metrics', source: 'herald', severity: 'debug', priority: 'low', data: snapshot }]))
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

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      isReady = false;
      for (const t of timers) clearInterval(t);
      await cluster.stop();
      await ws.stop();
      await app.close();
      publisher.stop();
      await bus.stop();
      await store.close();
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
    stop,
  };
}
