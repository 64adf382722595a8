import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from './cli-io.js';

/** Where `publish` and `tail` talk to, and with which token. */
export interface ServerTarget {
  /** `http://host:port` plus any base path, no trailing slash. */
  readonly httpUrl: string;
  /** The WebSocket endpoint, `ws://host:port/ws`. */
  readonly wsUrl: string;
  readonly token: string | undefined;
  /** Where the token came from, for hints when it is refused. */
  readonly tokenSource: '--token' | 'HERALD_TOKEN' | 'admin-token file' | 'none';
}

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0']);

/**
 * Resolves the server URL (`--url`, else HERALD_URL, else
 * http://127.0.0.1:8080; http(s) and ws(s) both work) and the token:
 * `--token`, else HERALD_TOKEN, else, for a server on this machine, the
 * admin token it generated in `<HERALD_DATA_DIR or ./data>/admin-token`.
 */
export function resolveServerTarget(
  flags: { url?: string; token?: string },
  io: Pick<CliIo, 'env' | 'cwd'>,
): { ok: true; target: ServerTarget } | { ok: false; problem: string } {
  const given = flags.url ?? io.env.HERALD_URL ?? DEFAULT_SERVER_URL;
  const origin = flags.url !== undefined ? '--url' : 'HERALD_URL';
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return { ok: false, problem: `${origin} "${given}" is not a URL; use one such as ${DEFAULT_SERVER_URL}` };
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    return { ok: false, problem: `${origin} "${given}" must start with http://, https://, ws:// or wss://` };
  }
  const isWs = url.protocol.startsWith('ws');
  // A ws:// URL names the endpoint itself; an http:// one names the server, whose endpoint is /ws.
  const basePath = url.pathname.replace(/\/+$/, '');
  const httpPath = isWs ? basePath.replace(/\/ws(\/.*)?$/, '') : basePath;
  const wsPath = isWs && basePath ? basePath : `${httpPath}/ws`;
  const httpUrl = `${secure ? 'https' : 'http'}://${url.host}${httpPath}`;
  const wsUrl = `${secure ? 'wss' : 'ws'}://${url.host}${wsPath}`;
  return { ok: true, target: { httpUrl, wsUrl, ...resolveToken(flags.token, url.hostname, io) } };
}

function resolveToken(flag: string | undefined, hostname: string, io: Pick<CliIo, 'env' | 'cwd'>): Pick<ServerTarget, 'token' | 'tokenSource'> {
  if (flag) return { token: flag, tokenSource: '--token' };
  if (io.env.HERALD_TOKEN) return { token: io.env.HERALD_TOKEN, tokenSource: 'HERALD_TOKEN' };
  if (LOCAL_HOSTS.has(hostname)) {
    const file = path.resolve(io.cwd, io.env.HERALD_DATA_DIR || './data', 'admin-token');
    if (existsSync(file)) {
      const token = readFileSync(file, 'utf8').trim();
      if (token) return { token, tokenSource: 'admin-token file' };
    }
  }
  return { token: undefined, tokenSource: 'none' };
}

/** A hint for a refused token, naming where it came from. */
export function tokenHint(target: ServerTarget): string {
  return target.tokenSource === 'none'
    ? 'no token was sent; pass --token, set HERALD_TOKEN, or run from the directory whose data/admin-token the server wrote'
    : `the token from ${target.tokenSource} was refused; pass another with --token or HERALD_TOKEN`;
}
