import { fullJitterBackoff, type Backoff } from './backoff.js';
import type { TokenTransport } from './connection.js';
import { resolveWebSocket, type WebSocketConstructor } from './websocket.js';

/** Settings of a {@link HeraldClient}. Only `url` is required. */
export interface HeraldClientOptions {
  /** The WebSocket endpoint, e.g. `wss://herald.example.com/ws`. */
  url: string;
  /** A fixed token: the admin token, an API key or a JWT. */
  token?: string;
  /** Fetches a token; called before every connect and when the server says the token is expiring. Wins over `token`. */
  getToken?: () => string | Promise<string>;
  /**
   * `message` (default) sends the token in a first `auth` message, so it
   * stays out of URLs and access logs; `query` puts it in `?token=`.
   */
  tokenTransport?: TokenTransport;
  /** The WebSocket class; default `globalThis.WebSocket`. In Node 20 pass `ws`'s default export. */
  WebSocket?: WebSocketConstructor;
  /** Delay before reconnect attempt n; default full-jitter exponential, 250 ms doubling to 30 s. */
  backoff?: Backoff;
  /** Reconnect attempts in a row before giving up and closing; default Infinity. */
  maxReconnectAttempts?: number;
  /** Time from opening a socket to the server's welcome, in ms; default 10,000. */
  connectTimeoutMs?: number;
  /** Time a request may wait for its reply, in ms, time spent waiting for a connection included; default 10,000. */
  requestTimeoutMs?: number;
  /** Requests (other than publishes) that may wait for a reply at once; default 1,000. */
  maxPendingRequests?: number;
  /** Events that may wait for acknowledgement, across all `publish` calls; default 1,000. Past it `publish` rejects. */
  maxPendingPublishEvents?: number;
  /** Default `bufferSize` of a subscription's async iterator, in events; default 1,000. */
  subscriptionBufferSize?: number;
  /** `source` stamped on published events that have none. */
  source?: string;
  /** Connect from the constructor; default true. Otherwise call `connect()`. */
  autoConnect?: boolean;
}

/** Options with every default applied. */
export interface ResolvedClientOptions {
  url: string;
  token: string | undefined;
  getToken: (() => string | Promise<string>) | undefined;
  tokenTransport: TokenTransport;
  WebSocket: WebSocketConstructor;
  backoff: Backoff;
  maxReconnectAttempts: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxPendingRequests: number;
  maxPendingPublishEvents: number;
  subscriptionBufferSize: number;
  source: string | undefined;
  autoConnect: boolean;
}

/** Applies the defaults and checks the values; throws a TypeError naming every bad one. */
export function resolveClientOptions(options: HeraldClientOptions): ResolvedClientOptions {
  const problems: string[] = [];
  if (typeof options.url !== 'string' || !/^(wss?|https?):\/\//i.test(options.url)) {
    problems.push('url must be a ws://, wss://, http:// or https:// URL');
  }
  const positive = (name: keyof HeraldClientOptions, value: number | undefined, fallback: number, allowZero = false): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
      problems.push(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
    }
    return value;
  };
  const resolved: Omit<ResolvedClientOptions, 'WebSocket'> = {
    url: httpToWs(options.url),
    token: options.token,
    getToken: options.getToken,
    tokenTransport: options.tokenTransport ?? 'message',
    backoff: options.backoff ?? fullJitterBackoff(),
    maxReconnectAttempts: positive('maxReconnectAttempts', options.maxReconnectAttempts, Infinity, true),
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs, 10_000),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 10_000),
    maxPendingRequests: positive('maxPendingRequests', options.maxPendingRequests, 1_000),
    maxPendingPublishEvents: positive('maxPendingPublishEvents', options.maxPendingPublishEvents, 1_000),
    subscriptionBufferSize: positive('subscriptionBufferSize', options.subscriptionBufferSize, 1_000, true),
    source: options.source,
    autoConnect: options.autoConnect ?? true,
  };
  if (resolved.tokenTransport !== 'message' && resolved.tokenTransport !== 'query') {
    problems.push('tokenTransport must be "message" or "query"');
  }
  if (problems.length > 0) throw new TypeError(`HeraldClient: ${problems.join('; ')}`);
  return { ...resolved, WebSocket: resolveWebSocket(options.WebSocket) };
}

/** Lets callers pass the server's HTTP base URL: `http://host/ws` dials `ws://host/ws`. */
function httpToWs(url: string): string {
  return typeof url === 'string' ? url.replace(/^http(s?):\/\//i, 'ws$1://') : url;
}
