import { configSchema, type LimitsConfig } from './config-schema.js';
import { splitApiKeys } from './split-api-keys.js';

/** How the text of a variable (or of a `herald serve` flag) becomes a config value. */
export type SettingKind = 'string' | 'port' | 'integer' | 'boolean' | 'list' | 'apiKeys' | 'pem';

/** One `HERALD_*` environment variable. */
export interface EnvVariable {
  /** `HERALD_PORT` */
  readonly name: string;
  /** Dotted config key it sets (`limits.maxPayloadBytes`); undefined when it is not a config key. */
  readonly key: string | undefined;
  readonly kind: SettingKind;
  /** The default, as help text shows it. */
  readonly defaultValue: string;
  readonly meaning: string;
  /** The `herald serve` flag that overrides it, if any. */
  readonly flag?: string;
  /** Who reads it: the server, or the `publish` and `tail` client commands. */
  readonly usedBy: 'server' | 'client';
  /** Its value is never echoed in messages. */
  readonly isSecret?: boolean;
}

const DEFAULTS = configSchema.parse({});

// Typed by the schema's keys, so a new limit does not compile until it has a meaning here.
const LIMIT_MEANINGS: Record<keyof LimitsConfig, string> = {
  maxPayloadBytes: 'largest WebSocket frame or HTTP body, bytes',
  messagesPerSecond: 'client messages per second per connection (JWT and anonymous; see serviceMessagesPerSecond)',
  messageBurst: 'messages a connection may send in a burst',
  serviceMessagesPerSecond: 'client messages per second per connection of an API key or the admin token',
  serviceMessageBurst: 'messages a connection of an API key or the admin token may send in a burst',
  publishesPerSecond: 'events published per second per identity',
  maxConnections: 'connections in all',
  maxConnectionsPerUser: 'connections per user (token subject)',
  maxConnectionsPerIp: 'connections per remote address',
  maxSubscriptionsPerConnection: 'subscriptions per connection',
  maxPatternsPerSubscription: 'type patterns in one subscription',
  maxFilterKeys: 'keys in one subscription\'s filters',
  maxHistoryLimit: 'largest history page, events',
  maxQueuedBytes: 'bytes queued for one connection before it is closed as a slow consumer (4001)',
  maxQueuedMessages: 'frames queued for one connection before it is closed as a slow consumer (4001)',
  maxBatchEvents: 'events one publish may carry',
  authTimeoutMs: 'time to send {"action":"auth"} after connecting without a token, ms',
  heartbeatIntervalMs: 'heartbeat interval, ms; silent for two intervals means dropped (4004)',
  maxConnectionLifetimeMs: 'longest a connection may live, ms; 0 disables',
  idleTimeoutMs: 'close a connection idle and without subscriptions this long, ms; 0 disables',
  tokenExpiringNoticeMs: 'how long before a token expires the connection is told (token_expiring), ms',
  tokenGraceMs: 'grace after token expiry for a fresh auth, ms',
  callTimeoutMs: 'longest a call (tool, route or agent) may run without a timeout of its own, ms',
  maxConcurrentCallsPerConnection: 'calls one connection may have running at once',
};

const RETENTION_MEANINGS: Record<keyof typeof DEFAULTS.retention, string> = {
  maxEvents: 'events kept at most; 0 keeps any number',
  maxAgeMs: 'age after which events are deleted, ms; 0 keeps forever',
  intervalMs: 'how often retention runs, ms',
};

const WEBHOOK_DELIVERY_MEANINGS: Record<Exclude<keyof typeof DEFAULTS.webhookDelivery, 'allowPrivate'>, string> = {
  retryBaseMs: 'wait before the first webhook retry, ms; later ones about four times longer each, with jitter',
  retryMaxMs: 'longest wait between two webhook attempts, ms',
  pollIntervalMs: 'how often webhooks look for new events and for changes made on other nodes, ms',
  leaseMs: 'how long a node keeps a webhook beyond its attempt in flight; another node takes over a silent one after it, ms',
  gapGraceMs: 'how long webhooks wait for a seq missing from the log before passing over it, ms',
};

const CLUSTER_MEANINGS: Record<Exclude<keyof typeof DEFAULTS.cluster, 'nodeId'>, string> = {
  gapTimeoutMs: 'how long an event waits for a missing seq before the gap is settled from the store, ms',
  heartbeatIntervalMs: 'how often a node renews its entry in Redis, ms',
  nodeTimeoutMs: 'a node silent this long leaves GET /api/nodes, ms',
};

/** `maxPayloadBytes` -> `MAX_PAYLOAD_BYTES` */
export function screamingSnake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

const server = (
  name: string,
  key: string | undefined,
  kind: SettingKind,
  defaultValue: unknown,
  meaning: string,
  extra: { flag?: string; isSecret?: boolean } = {},
): EnvVariable => ({ name, key, kind, defaultValue: String(defaultValue), meaning, usedBy: 'server', ...extra });

/**
 * Every environment variable Herald reads, in help order. The server's come
 * first; `HERALD_URL` and `HERALD_TOKEN` are read by `herald publish` and
 * `herald tail`. The README and `herald serve --help` print this table.
 */
export const ENV_VARIABLES: readonly EnvVariable[] = Object.freeze([
  server('HERALD_HOST', 'host', 'string', DEFAULTS.host, 'address to listen on', { flag: '--host' }),
  server('HERALD_PORT', 'port', 'port', DEFAULTS.port, 'port to listen on; 0 picks a free one', { flag: '--port' }),
  server('HERALD_DATA_DIR', 'dataDir', 'string', DEFAULTS.dataDir, 'SQLite file and generated admin token', { flag: '--data-dir' }),
  server('HERALD_STORE', 'store', 'string', 'sqlite:<data dir>/herald.db', 'event store: sqlite:<file>, sqlite::memory: or postgres://…', { flag: '--store' }),
  server('HERALD_SQLITE_SYNCHRONOUS', 'sqliteSynchronous', 'string', DEFAULTS.sqliteSynchronous, 'SQLite durability: normal (survives a crash) or full (fsync every commit)'),
  server('HERALD_BUS', 'bus', 'string', DEFAULTS.bus, 'event bus between nodes: memory (one node) or redis://host:6379/0?prefix=herald (a cluster; needs a postgres:// store)', { flag: '--bus' }),
  server('HERALD_ADMIN_TOKEN', 'adminToken', 'string', 'generated into <data dir>/admin-token', 'bearer token with every permission (16+ characters)', { flag: '--admin-token', isSecret: true }),
  server('HERALD_API_KEYS', 'apiKeys', 'apiKeys', 'none', 'publisher keys name:key[:permission,…], separated by ";" or newlines (a plain name:key,name:key list also works)', { isSecret: true }),
  server('HERALD_JWT_SECRET', 'jwt.secret', 'string', 'none', 'HS256 secret (32+ characters)', { isSecret: true }),
  server('HERALD_JWT_PUBLIC_KEY', 'jwt.publicKey', 'pem', 'none', 'RS256/ES256 public key, PEM ("\\n" escapes allowed)'),
  server('HERALD_JWKS_URL', 'jwt.jwksUrl', 'string', 'none', 'JWKS URL to fetch verification keys from'),
  server('HERALD_JWT_ISSUER', 'jwt.issuer', 'string', 'none', 'required iss claim'),
  server('HERALD_JWT_AUDIENCE', 'jwt.audience', 'string', 'none', 'required aud claim'),
  server('HERALD_JWT_CLOCK_SKEW_S', 'jwt.clockSkewS', 'integer', DEFAULTS.jwt.clockSkewS, 'clock skew tolerated on exp/nbf, seconds'),
  server('HERALD_ALLOW_ANONYMOUS', 'allowAnonymous', 'boolean', DEFAULTS.allowAnonymous, 'let connections without a token in, with the anonymous permissions', { flag: '--allow-anonymous' }),
  server('HERALD_ANONYMOUS_PERMISSIONS', 'anonymousPermissions', 'list', DEFAULTS.anonymousPermissions.join(','), 'what anonymous connections may do, comma separated'),
  server('HERALD_CORS_ORIGINS', 'corsOrigins', 'list', 'same origin', 'allowed browser origins, comma separated; * allows any', { flag: '--cors-origins' }),
  server('HERALD_CONFIG', undefined, 'string', './herald.config.yaml (.yml, .json) if present', 'config file: registry, limits and every setting here', { flag: '--config' }),
  server('HERALD_LOG_LEVEL', 'logLevel', 'string', DEFAULTS.logLevel, 'fatal, error, warn, info, debug, trace or silent', { flag: '--log-level' }),
  server('HERALD_LOG_FORMAT', 'logFormat', 'string', 'pretty on a terminal, else json', 'pretty or json', { flag: '--log-format' }),
  server('HERALD_REPLAY_BUFFER_EVENTS', 'replayBufferEvents', 'integer', DEFAULTS.replayBufferEvents, 'events kept in memory for fast replay'),
  server('HERALD_METRICS_EVENT_INTERVAL_MS', 'metricsEventIntervalMs', 'integer', DEFAULTS.metricsEventIntervalMs, 'how often the metrics system event is published, ms; 0 disables'),
  server('HERALD_LIFECYCLE_EVENTS', 'lifecycleEvents', 'boolean', DEFAULTS.lifecycleEvents, "publish Herald's own audit.* events (and the connection ones when HERALD_CONNECTION_EVENTS is on)"),
  server('HERALD_CONNECTION_EVENTS', 'connectionEvents', 'boolean', DEFAULTS.connectionEvents, 'publish connection.opened, connection.closed and user_login for every connection (off: a reconnect wave would fill the replay buffer)'),
  server('HERALD_COMPRESSION', 'compression', 'boolean', DEFAULTS.compression, 'negotiate permessage-deflate; each event is compressed once for every client that asked'),
  server('HERALD_COMPRESSION_THRESHOLD_BYTES', 'compressionThresholdBytes', 'integer', DEFAULTS.compressionThresholdBytes, 'smallest event sent compressed, bytes'),
  server('HERALD_AGENTS_DIR', 'agents.dir', 'string', '<data dir>/agents', 'folder of agent definitions (markdown with front matter); backends and routes are set in the config file'),
  server('HERALD_KV_SWEEP_INTERVAL_MS', 'kvSweepIntervalMs', 'integer', DEFAULTS.kvSweepIntervalMs, 'how often expired KV keys are removed, ms (reads hide them at once)'),
  server('HERALD_DASHBOARD', 'dashboard', 'boolean', DEFAULTS.dashboard, 'serve the dashboard at /'),
  server('HERALD_MCP_MAX_ARGUMENTS_BYTES', 'mcp.maxArgumentsBytes', 'integer', DEFAULTS.mcp.maxArgumentsBytes, 'largest arguments of one MCP tool call, bytes of JSON (the servers themselves go in the config file: mcp.servers)'),
  ...Object.entries(LIMIT_MEANINGS).map(([key, meaning]) =>
    server(`HERALD_LIMITS_${screamingSnake(key)}`, `limits.${key}`, 'integer', DEFAULTS.limits[key as keyof LimitsConfig], meaning),
  ),
  server('HERALD_NODE_ID', 'cluster.nodeId', 'string', '<hostname>-<pid>-<random>', 'this node\'s name in GET /api/nodes; unique in the cluster'),
  ...Object.entries(CLUSTER_MEANINGS).map(([key, meaning]) =>
    server(`HERALD_CLUSTER_${screamingSnake(key)}`, `cluster.${key}`, 'integer', DEFAULTS.cluster[key as keyof typeof CLUSTER_MEANINGS], meaning),
  ),
  ...Object.entries(RETENTION_MEANINGS).map(([key, meaning]) =>
    server(`HERALD_RETENTION_${screamingSnake(key)}`, `retention.${key}`, 'integer', DEFAULTS.retention[key as keyof typeof DEFAULTS.retention], meaning),
  ),
  server('HERALD_WEBHOOKS_ALLOW_PRIVATE', 'webhookDelivery.allowPrivate', 'boolean', DEFAULTS.webhookDelivery.allowPrivate, 'let webhook URLs reach loopback, link-local and private addresses'),
  ...Object.entries(WEBHOOK_DELIVERY_MEANINGS).map(([key, meaning]) =>
    server(`HERALD_WEBHOOK_${screamingSnake(key)}`, `webhookDelivery.${key}`, 'integer', DEFAULTS.webhookDelivery[key as keyof typeof WEBHOOK_DELIVERY_MEANINGS], meaning),
  ),
  { name: 'HERALD_URL', key: undefined, kind: 'string', defaultValue: 'http://127.0.0.1:8080', meaning: 'server that publish and tail talk to', usedBy: 'client' },
  { name: 'HERALD_TOKEN', key: undefined, kind: 'string', defaultValue: '<data dir>/admin-token for a local server', meaning: 'token publish and tail send', usedBy: 'client', isSecret: true },
] satisfies EnvVariable[]);

const BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };

/** A parsed setting value, or why the text is not one. */
export type ParsedSetting = { ok: true; value: unknown } | { ok: false; problem: string };

/**
 * Parses the text of a variable or flag by its kind. Numbers are strict
 * (`"12abc"` is an error, not 12); range checks are left to the schema so
 * that every source gets the same messages.
 */
export function parseSettingText(kind: SettingKind, text: string): ParsedSetting {
  const value = text.trim();
  switch (kind) {
    case 'port': {
      const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
      return port <= 65_535 ? { ok: true, value: port } : { ok: false, problem: 'must be a port number (0-65535)' };
    }
    case 'integer':
      return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))
        ? { ok: true, value: Number(value) }
        : { ok: false, problem: 'must be a whole number, digits only (such as 65536)' };
    case 'boolean': {
      const flag = BOOLEANS[value.toLowerCase()];
      return flag === undefined ? { ok: false, problem: 'must be true or false (1/0, yes/no and on/off also work)' } : { ok: true, value: flag };
    }
    case 'list':
      return { ok: true, value: value.split(/[,\n]/).map((s) => s.trim()).filter((s) => s.length > 0) };
    case 'apiKeys':
      return { ok: true, value: splitApiKeys(value) };
    case 'pem':
      // Many deployment tools cannot hold a newline in a variable, so "\n" stands for one.
      return { ok: true, value: value.includes('\n') ? value : value.replace(/\\n/g, '\n') };
    case 'string':
      return { ok: true, value };
  }
}
