import { z } from 'zod';
import { eventTypeDefinitionInputSchema } from '@herald/protocol';

const positiveInt = (what: string) => z.number({ error: `must be a number (${what})` }).int('must be a whole number').positive('must be greater than 0');
const nonNegativeInt = (what: string) => z.number({ error: `must be a number (${what})` }).int('must be a whole number').min(0, 'must be 0 or more');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Limits, each with its unit in the name. Defaults are the safe ones of
 * DESIGN.md section 7.
 */
export const limitsSchema = z.strictObject({
  /** Largest WebSocket frame or HTTP body, bytes. */
  maxPayloadBytes: positiveInt('bytes').default(65_536),
  /** Client messages per second per connection (token bucket refill rate). */
  messagesPerSecond: positiveInt('messages per second').default(100),
  /** Token bucket size: messages a connection may send in a burst. */
  messageBurst: positiveInt('messages').default(200),
  /** Client messages per second per connection of a service (API key or admin token): publishers are not browsers. */
  serviceMessagesPerSecond: positiveInt('messages per second').default(5_000),
  /** Token bucket size for a service connection, messages. */
  serviceMessageBurst: positiveInt('messages').default(10_000),
  /** Publishes (events) per second per identity. */
  publishesPerSecond: positiveInt('events per second').default(10_000),
  /** Connections in all. */
  maxConnections: positiveInt('connections').default(50_000),
  /** Connections per user (token subject). */
  maxConnectionsPerUser: positiveInt('connections').default(1_000),
  /** Connections per remote IP address. */
  maxConnectionsPerIp: positiveInt('connections').default(25_000),
  /** Subscriptions per connection. */
  maxSubscriptionsPerConnection: positiveInt('subscriptions').default(100),
  /** Patterns in one subscription. */
  maxPatternsPerSubscription: positiveInt('patterns').default(50),
  /** Keys in one subscription's filters. */
  maxFilterKeys: positiveInt('keys').default(32),
  /** Largest history page, events. */
  maxHistoryLimit: positiveInt('events').default(1_000),
  /** Bytes queued for one connection before it counts as a slow consumer and is closed (4001). */
  maxQueuedBytes: positiveInt('bytes').default(8 * 1024 * 1024),
  /** Frames queued for one connection before it is closed as a slow consumer (4001). */
  maxQueuedMessages: positiveInt('frames').default(20_000),
  /** Events one publish may carry. */
  maxBatchEvents: positiveInt('events').default(1_000),
  /** Time a connection has to send {"action":"auth"} when it connected without a token, ms. */
  authTimeoutMs: positiveInt('ms').default(10_000),
  /** Heartbeat interval, ms; a client silent for two intervals is dropped (4004). */
  heartbeatIntervalMs: positiveInt('ms').default(25_000),
  /** Longest a connection may live, ms (seed 004's 24-hour TTL); 0 disables. */
  maxConnectionLifetimeMs: nonNegativeInt('ms').default(24 * 3600 * 1000),
  /** Close a connection that sent nothing and had no subscription for this long, ms; 0 disables. */
  idleTimeoutMs: nonNegativeInt('ms').default(0),
  /** How long before a token expires the connection gets `token_expiring`, ms. */
  tokenExpiringNoticeMs: positiveInt('ms').default(60_000),
  /** Grace after token expiry during which a fresh `auth` keeps the connection, ms. */
  tokenGraceMs: nonNegativeInt('ms').default(30_000),
});

export const storeRetentionSchema = z.strictObject({
  /** Events kept at most; 0 keeps any number. */
  maxEvents: nonNegativeInt('events').default(1_000_000),
  /** Age after which events are deleted, ms; 0 keeps forever. Default 7 days. */
  maxAgeMs: nonNegativeInt('ms').default(7 * 24 * 3600 * 1000),
  /** How often retention runs, ms. */
  intervalMs: positiveInt('ms').default(60_000),
});

/** How the nodes of a cluster (a Redis bus) keep in touch. */
export const clusterSchema = z.strictObject({
  /** This node's name in `GET /api/nodes`; default `<hostname>-<pid>-<random>`. Must be unique in the deployment. */
  nodeId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits or _ . : -').optional(),
  /** How long an event waits for the seqs before it, ms, before the gap is settled from the store. */
  gapTimeoutMs: positiveInt('ms').default(2_000),
  /** How often a node renews its entry in Redis, ms. */
  heartbeatIntervalMs: positiveInt('ms').default(3_000),
  /** A node that has not renewed its entry for this long leaves `GET /api/nodes`, ms. */
  nodeTimeoutMs: positiveInt('ms').default(10_000),
});

export const configSchema = z.strictObject({
  /** Address to listen on. */
  host: z.string().min(1).default('127.0.0.1'),
  /** Port; 0 picks a free one. */
  port: z.number({ error: 'must be a port number' }).int().min(0).max(65_535, 'must be at most 65535').default(8080),
  /** SQLite file and generated admin token live here. */
  dataDir: z.string().min(1).default('./data'),
  /** `sqlite:<path>` (default `sqlite:<dataDir>/herald.db`), `sqlite::memory:`, or `postgres://…`. */
  store: z.string().optional(),
  /** SQLite `synchronous` pragma: `full` fsyncs every commit; `normal` survives a process crash but may lose the last commits on power loss. */
  sqliteSynchronous: z.enum(['normal', 'full'], { error: 'must be "normal" or "full"' }).default('normal'),
  /** `memory` or `redis://…`. */
  bus: z.string().min(1).default('memory'),
  /** Opaque bearer token with every permission; generated and kept in `<dataDir>/admin-token` when unset. */
  adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Publisher keys: `name:key[:permission,…]`, comma or newline separated in the env form. */
  apiKeys: z.array(z.string()).default([]),
  jwt: z
    .strictObject({
      secret: z.string().min(32, 'must be at least 32 characters (256 bits) for HS256').optional(),
      publicKey: z.string().optional(),
      jwksUrl: z.url({ error: 'must be a URL' }).optional(),
      issuer: z.string().optional(),
      audience: z.string().optional(),
      /** Clock skew tolerated on exp/nbf, seconds. */
      clockSkewS: nonNegativeInt('seconds').default(30),
    })
    .default({ clockSkewS: 30 }),
  /** Let connections without a token in, with `anonymousPermissions`. */
  allowAnonymous: z.boolean().default(false),
  anonymousPermissions: z.array(z.string()).default(['subscribe:*', 'history:*']),
  /** Allowed browser origins for HTTP CORS and the WebSocket upgrade; empty means same origin only; `*` allows any. */
  corsOrigins: z.array(z.string()).default([]),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** `pretty` for people, `json` for machines; default pretty on a terminal. */
  logFormat: z.enum(['pretty', 'json'], { error: 'must be "pretty" or "json"' }).optional(),
  limits: limitsSchema.default(limitsSchema.parse({})),
  retention: storeRetentionSchema.default(storeRetentionSchema.parse({})),
  cluster: clusterSchema.default(clusterSchema.parse({})),
  /** Events kept in memory for fast replay, newest last. */
  replayBufferEvents: positiveInt('events').default(20_000),
  /** How often the `metrics` system event is published, ms; 0 disables. */
  metricsEventIntervalMs: nonNegativeInt('ms').default(5_000),
  /** Publish `connection.*`, `user_login` and `audit.*` events. */
  lifecycleEvents: z.boolean().default(true),
  /**
   * Negotiate permessage-deflate (with server_no_context_takeover) with
   * clients that offer it; each event is then compressed once for all of
   * them, and only when it is at least `compressionThresholdBytes`.
   */
  compression: z.boolean().default(true),
  compressionThresholdBytes: nonNegativeInt('bytes').default(1024),
  /** Serve the dashboard at `/`. */
  dashboard: z.boolean().default(true),
  /** Event registry additions and overrides. */
  registry: z.array(eventTypeDefinitionInputSchema).default([]),
});

export type HeraldConfig = z.infer<typeof configSchema>;
export type HeraldConfigInput = z.input<typeof configSchema>;
export type LimitsConfig = HeraldConfig['limits'];
