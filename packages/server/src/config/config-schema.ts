import { z } from 'zod';
import { BUILT_IN_ACTIONS, eventTypeDefinitionInputSchema, webhookInputSchema } from '@herald/protocol';

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
  /** Longest a connection may live, ms (24 hours, as API gateways do); 0 disables. */
  maxConnectionLifetimeMs: nonNegativeInt('ms').default(24 * 3600 * 1000),
  /** Close a connection that sent nothing and had no subscription for this long, ms; 0 disables. */
  idleTimeoutMs: nonNegativeInt('ms').default(0),
  /** How long before a token expires the connection gets `token_expiring`, ms. */
  tokenExpiringNoticeMs: positiveInt('ms').default(60_000),
  /** Grace after token expiry during which a fresh `auth` keeps the connection, ms. */
  tokenGraceMs: nonNegativeInt('ms').default(30_000),
  /** Longest a `call` (tool, route or agent) may run when it sets no timeout of its own, ms. */
  callTimeoutMs: positiveInt('ms').default(60_000),
  /** Calls one connection may have running at once. */
  maxConcurrentCallsPerConnection: positiveInt('calls').default(16),
});

export const storeRetentionSchema = z.strictObject({
  /** Events kept at most; 0 keeps any number. */
  maxEvents: nonNegativeInt('events').default(1_000_000),
  /** Age after which events are deleted, ms; 0 keeps forever. Default 7 days. */
  maxAgeMs: nonNegativeInt('ms').default(7 * 24 * 3600 * 1000),
  /** How often retention runs, ms. */
  intervalMs: positiveInt('ms').default(60_000),
});

/** MCP server names become permission segments (`call:mcp.<server>.<tool>`), so no dots or stars. */
const MCP_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * One MCP server Herald connects to and watches: a command it starts over
 * stdio (`command`, `args`, `env`, `cwd`) or a streamable HTTP endpoint
 * (`url`, `headers`). Defaults are those of DESIGN.md section 9.
 */
export const mcpServerSchema = z
  .strictObject({
    /** Unique name: letters, digits, `_` and `-` (it appears in `call:mcp.<name>.<tool>`). */
    name: z.string().regex(MCP_NAME, 'must be 1-64 letters, digits, "_" or "-" (no dots: it is part of call:mcp.<name>.<tool>)'),
    /** Program to start for a stdio server. */
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    /** Extra environment variables for the stdio server (added to a safe default set). */
    env: z.record(z.string(), z.string()).default({}),
    /** Working directory of the stdio server. */
    cwd: z.string().min(1).optional(),
    /** Streamable HTTP endpoint of a remote server. */
    url: z.url({ error: 'must be an http(s) URL such as http://127.0.0.1:3001/mcp' }).optional(),
    /** Headers sent with every HTTP request (an Authorization header, say). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Time between health checks (`ping`), ms. */
    healthCheckIntervalMs: positiveInt('ms').default(10_000),
    /** Longest a health check may take before it counts as failed, ms. */
    healthCheckTimeoutMs: positiveInt('ms').default(5_000),
    /** Longest a start may take (process spawn or HTTP session, then the MCP handshake and tool list), ms. */
    connectTimeoutMs: positiveInt('ms').default(10_000),
    /** Failed checks in a row that open the circuit (one failed cycle). */
    failureThreshold: positiveInt('checks').default(3),
    /** Time the circuit stays open before one probe decides, ms. */
    openMs: positiveInt('ms').default(30_000),
    /** Failed cycles after which the server is disabled until an admin enables it. */
    autoDisableAfterCycles: positiveInt('cycles').default(5),
  })
  .check((ctx) => {
    const s = ctx.value;
    if ((s.command === undefined) === (s.url === undefined)) {
      ctx.issues.push({ code: 'custom', input: s, path: s.command === undefined ? ['command'] : ['url'], message: 'give either "command" (a stdio server) or "url" (a streamable HTTP server), not both and not neither' });
    }
  });

/** Names of agents and agent backends: what `agents.send {agent}` and a route's `agent` say. */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const agentName = z.string({ error: 'must be a string' }).regex(AGENT_NAME_PATTERN, 'must be 1 to 64 lower-case letters, digits, "-" or "_", starting with a letter or digit');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const headers = z.record(z.string(), z.string({ error: 'must be a string' }));

/** An agent backend: an HTTP endpoint taking `{message, session_id, context, user}` and answering NDJSON, SSE or one JSON body. */
export const agentBackendSchema = z.strictObject({
  name: agentName,
  url: httpUrl,
  /** Longest one message may take, ms. */
  timeoutMs: positiveInt('ms').default(60_000),
  /** Sent with every request (an API key of the backend, say). */
  headers: headers.optional(),
});

export const agentsSchema = z.strictObject({
  /** Folder of agent definitions (markdown with front matter, as `.claude/agents/`); default `<dataDir>/agents`. */
  dir: z.string().min(1).optional(),
  backends: z.array(agentBackendSchema).default([]),
});

/** Action names a route may take: not a built-in action; `$connect`, `$disconnect`, `$default` are the special ones. */
export const ROUTE_ACTION_PATTERN = /^(?:\$connect|\$disconnect|\$default|[A-Za-z_][A-Za-z0-9_.:-]{0,63})$/;

/** One route: exactly one of `agent`, `tool` (`server/tool` of an MCP server) or `url` (an HTTP backend). */
export const routeSchema = z
  .strictObject({
    agent: agentName.optional(),
    tool: z.string({ error: 'must be a string' }).regex(/^[^/\s]+\/[^/\s]+$/, 'must be "server/tool", an MCP server and one of its tools').optional(),
    url: httpUrl.optional(),
    headers: headers.optional(),
    /** Longest the handler may take, ms; default 60 000. */
    timeoutMs: positiveInt('ms').optional(),
    /** Largest client message this route accepts, bytes (as JSON); default limits.maxPayloadBytes. */
    maxPayloadBytes: positiveInt('bytes').optional(),
  })
  .refine((r) => [r.agent, r.tool, r.url].filter((v) => v !== undefined).length === 1, {
    error: 'needs exactly one handler: "agent", "tool" or "url"',
  });

export const routesSchema = z.record(z.string(), routeSchema).superRefine((routes, ctx) => {
  for (const [action, route] of Object.entries(routes)) {
    if ((BUILT_IN_ACTIONS as readonly string[]).includes(action)) {
      ctx.addIssue({ code: 'custom', path: [action], message: `is a built-in action and cannot be routed (built in: ${BUILT_IN_ACTIONS.join(', ')})` });
    } else if (!ROUTE_ACTION_PATTERN.test(action)) {
      ctx.addIssue({ code: 'custom', path: [action], message: 'is not a route name: use letters, digits, _ . : - (up to 64, not starting with a digit), or $connect, $disconnect, $default' });
    } else if ((action === '$connect' || action === '$disconnect') && route.url === undefined) {
      ctx.addIssue({ code: 'custom', path: [action], message: 'is told of connections over HTTP: give it a "url"' });
    }
  }
});

/** How webhooks are delivered (the webhooks themselves are `webhooks: [...]`). */
export const webhookDeliverySchema = z.strictObject({
  /** Let webhook URLs reach loopback, link-local and private addresses. */
  allowPrivate: z.boolean().default(false),
  /** Wait before the first retry, ms; each later one waits about four times longer (with jitter). */
  retryBaseMs: positiveInt('ms').default(1_000),
  /** Longest wait between two attempts, ms. */
  retryMaxMs: positiveInt('ms').default(3_600_000),
  /** How often webhooks look for events they were not told of and for changes made on other nodes, ms. */
  pollIntervalMs: positiveInt('ms').default(1_000),
  /** How long a node's claim on a webhook outlives an attempt, ms; another node takes over a silent one after it. */
  leaseMs: positiveInt('ms').default(15_000),
  /** How long a seq missing from the log is waited for before being passed over, ms. */
  gapGraceMs: nonNegativeInt('ms').default(2_000),
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
  /** Publish Herald's own events: `audit.*`, plus the per-connection ones when `connectionEvents` is on. */
  lifecycleEvents: z.boolean().default(true),
  /**
   * Publish `connection.opened`, `connection.closed` and `user_login` for
   * every connection (needs `lifecycleEvents`). Off by default: each is a
   * stored event, and a reconnect wave of 20,000 browsers would push the
   * replay buffer's real events out with 40,000 of them.
   */
  connectionEvents: z.boolean().default(false),
  /**
   * Negotiate permessage-deflate (with server_no_context_takeover) with
   * clients that offer it; each event is then compressed once for all of
   * them, and only when it is at least `compressionThresholdBytes`.
   */
  compression: z.boolean().default(true),
  compressionThresholdBytes: nonNegativeInt('bytes').default(1024),
  /** Serve the dashboard at `/`. */
  dashboard: z.boolean().default(true),
  /** MCP servers to connect to, watch and offer as `mcp.*` tools (DESIGN.md section 9; see docs/mcp.md). */
  mcp: z
    .strictObject({
      servers: z.array(mcpServerSchema).default([]),
      /** Largest `arguments` of one MCP tool call, bytes of JSON (larger ones get `payload_too_large`). */
      maxArgumentsBytes: positiveInt('bytes').default(32_768),
    })
    .check((ctx) => {
      const seen = new Set<string>();
      ctx.value.servers.forEach((server, i) => {
        if (seen.has(server.name)) ctx.issues.push({ code: 'custom', input: server.name, path: ['servers', i, 'name'], message: `"${server.name}" names two servers; names must be unique` });
        seen.add(server.name);
      });
    })
    .default({ servers: [], maxArgumentsBytes: 32_768 }),
  /** Agent definitions and backends (docs/agents.md). */
  agents: agentsSchema.default({ backends: [] }),
  /** Actions that are not built in, by name, and what answers them (docs/agents.md). */
  routes: routesSchema.default({}),
  /** How often expired KV keys are removed, ms (they are hidden from reads at once). */
  kvSweepIntervalMs: positiveInt('ms').default(60_000),
  /** Event registry additions and overrides. */
  registry: z.array(eventTypeDefinitionInputSchema).default([]),
  /** Outbound webhooks (config file only); more can be made over the API. */
  webhooks: z.array(webhookInputSchema).default([]),
  webhookDelivery: webhookDeliverySchema.default(webhookDeliverySchema.parse({})),
});

export type HeraldConfig = z.infer<typeof configSchema>;
export type HeraldConfigInput = z.input<typeof configSchema>;
export type LimitsConfig = HeraldConfig['limits'];
export type McpServerConfig = HeraldConfig['mcp']['servers'][number];
