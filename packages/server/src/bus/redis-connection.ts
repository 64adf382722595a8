import { Redis, type RedisOptions } from 'ioredis';
import { ConfigError, HeraldError } from '../errors/herald-error.js';

/** Key prefix when the URL names none. */
export const DEFAULT_REDIS_PREFIX = 'herald:';
/** How long a Redis command may take before it counts as failed, ms; a publish is refused rather than kept waiting. */
const COMMAND_TIMEOUT_MS = 2_000;
/** Longest pause between reconnect attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 500;
/** How long a refused publisher is told to wait before trying again, ms. */
export const BUS_RETRY_AFTER_MS = 1_000;

/** Where the cluster's Redis is, and the prefix of every key Herald writes there. */
export interface RedisTarget {
  options: RedisOptions;
  /** Prepended to every key and channel, so deployments can share one Redis. */
  prefix: string;
  /** `redis://host:port/db (prefix p)`, without credentials. */
  description: string;
}

/**
 * Reads `redis://[user:password@]host[:port][/db][?prefix=name]` (or
 * `rediss://` for TLS). The prefix gets a trailing `:` when it lacks one.
 * @throws ConfigError naming the setting and the accepted form.
 */
export function parseRedisUrl(spec: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new ConfigError([`bus = "${redact(spec)}": not a URL; use redis://host:6379/0?prefix=herald`]);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError([`bus = "${redact(spec)}": use "memory" or redis://host:6379/0?prefix=herald`]);
  }
  const dbText = url.pathname.replace(/^\//, '') || '0';
  const db = Number(dbText);
  if (!/^\d+$/.test(dbText) || db > 15) {
    throw new ConfigError([`bus = "${redact(spec)}": the database "${dbText.slice(0, 20)}" must be a number from 0 to 15`]);
  }
  const rawPrefix = url.searchParams.get('prefix') ?? DEFAULT_REDIS_PREFIX;
  if (!/^[A-Za-z0-9_.:{}-]{1,64}$/.test(rawPrefix)) {
    throw new ConfigError([`bus = "${redact(spec)}": prefix "${rawPrefix.slice(0, 70)}" must be 1 to 64 letters, digits or _ . : { } -`]);
  }
  const prefix = rawPrefix.endsWith(':') ? rawPrefix : `${rawPrefix}:`;
  const port = url.port ? Number(url.port) : 6379;
  const options: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return { options, prefix, description: `${url.protocol}//${url.host}/${db} (prefix ${prefix})` };
}

function redact(spec: string): string {
  return spec.replace(/\/\/[^@/]*@/, '//***@').slice(0, 120);
}

/**
 * A connection that fails fast while Redis is away (no offline queue, a
 * command timeout) and reconnects on its own, so callers are refused within
 * a second of an outage and served again soon after it ends.
 */
export function connectRedis(
  target: RedisTarget,
  role: string,
  onError: (err: Error) => void,
  options: { isBlocking?: boolean } = {},
): Redis {
  const client = new Redis({
    ...target.options,
    connectionName: `herald-${role}`,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A blocking read waits on purpose; its own BLOCK bounds it.
    ...(options.isBlocking ? {} : { commandTimeout: COMMAND_TIMEOUT_MS }),
    retryStrategy: (attempt: number) => Math.min(50 * attempt, MAX_RECONNECT_DELAY_MS),
  });
  // Unheard, ioredis prints every reconnect failure; the owner logs them once per outage.
  client.on('error', onError);
  return client;
}

/** Opens the connection, or fails start with the address and the cause. */
export async function openRedis(client: Redis, target: RedisTarget): Promise<void> {
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new ConfigError([`bus = ${target.description}: Redis is unreachable (${(err as Error).message}); start it or fix HERALD_BUS`]);
  }
}

/** The request error a publisher gets while Redis is away. */
export function busUnavailable(cause: unknown): HeraldError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new HeraldError('bus_unavailable', `the cluster bus is unreachable (${message}); nothing was acknowledged, try again shortly`, {
    retry_after_ms: BUS_RETRY_AFTER_MS,
  });
}
