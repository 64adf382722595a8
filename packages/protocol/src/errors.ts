/**
 * Every error code Herald puts on the wire, in an `error` reply
 * (`{"type":"error","code":…}`) or an HTTP body (`{"error":{"code":…}}`).
 * Frozen: a retired code is never reused. `docs/errors.md` lists the same
 * table and a test keeps the two in step.
 */
export const ERROR_CODES = Object.freeze({
  invalid_json: 'The frame or body is not valid JSON (or not UTF-8 text).',
  invalid_frame: 'The message is JSON but not an object with a string "action".',
  invalid_params: 'A parameter is missing, of the wrong type or out of range; details.path names it.',
  unknown_action: 'The action is not one Herald knows and no route handles it.',
  invalid_event: 'A published event is malformed; details.path names the field.',
  unauthorized: 'No valid token was given (HTTP 401).',
  forbidden: 'The token is valid but lacks the permission the request needs.',
  not_found: 'The event, subscription, route, agent, task or KV key asked for does not exist.',
  subscription_not_found: 'unsubscribe named a subscription this connection does not have.',
  payload_too_large: 'The frame or body is larger than the configured maximum.',
  rate_limited: 'Too many messages; details.retry_after_ms says when to try again.',
  limit_exceeded: 'A configured limit (subscriptions, patterns, filter size, page size) was reached.',
  token_expired: 'The token has expired; send {"action":"auth","token":…} with a fresh one.',
  token_expiring: 'Notice: the token expires soon (details.expires_at); send a fresh one.',
  unsupported_media_type: 'The HTTP body has a content type Herald does not read.',
  store_unavailable: 'The event store cannot take writes now; nothing was acknowledged. Retry with the same ids after details.retry_after_ms (HTTP Retry-After).',
  bus_unavailable:
    'The cluster could not order the events: its bus (Redis) is unreachable, or the other nodes gave up waiting for this publish. Nothing was acknowledged; retry after details.retry_after_ms (the Retry-After header over HTTP).',
  not_ready: 'The server is starting or stopping.',
  internal_error: 'An unexpected server error; the request had no effect that was acknowledged.',
  unknown_tool: 'call named a tool that does not exist; the message lists the tools there are.',
  call_timeout: 'The tool, route or agent did not finish within its timeout (details.timeout_ms); it was cancelled.',
  upstream_error: 'The MCP server, agent or HTTP backend behind a call failed or answered something unusable.',
  upstream_unavailable: 'The MCP server, agent or backend behind a call cannot be reached now (down, circuit open or disabled).',
} as const);

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * WebSocket close codes. 1008/1009/1011 are the standard ones; Herald's own
 * are split by what the client should do, so it can decide from the number
 * alone: 4000-4499 reconnect (resume with `since`), 4500-4999 do not.
 */
export const CLOSE_CODES = Object.freeze({
  normal: { code: 1000, reconnect: false, meaning: 'Closed normally by either side.' },
  going_away: { code: 1001, reconnect: true, meaning: 'The server is going away (standard code, sent by some proxies).' },
  auth_failed: { code: 1008, reconnect: false, meaning: 'Authentication failed, was missing, or did not arrive within the auth timeout.' },
  frame_too_large: { code: 1009, reconnect: false, meaning: 'A frame was larger than limits.maxPayloadBytes.' },
  server_error: { code: 1011, reconnect: true, meaning: 'Unexpected server error.' },
  reconnect: { code: 4000, reconnect: true, meaning: 'Generic: reconnect and resume with since.' },
  slow_consumer: { code: 4001, reconnect: true, meaning: 'The send queue passed its bound; reconnect and resume with since.' },
  shutting_down: { code: 4002, reconnect: true, meaning: 'The server is shutting down; reconnect (to another node) and resume.' },
  token_expired: { code: 4003, reconnect: true, meaning: 'The token expired and no fresh one came within the grace period; reconnect with a new token.' },
  heartbeat_timeout: { code: 4004, reconnect: true, meaning: 'No pong for two heartbeat intervals.' },
  lifetime_exceeded: { code: 4005, reconnect: true, meaning: 'The connection reached its maximum lifetime or idle timeout; reconnect.' },
  forbidden: { code: 4500, reconnect: false, meaning: 'The identity may not connect.' },
  connection_limit: { code: 4501, reconnect: false, meaning: 'Too many connections for this user, address or server.' },
  protocol_violation: { code: 4502, reconnect: false, meaning: 'Binary frames or repeated invalid input.' },
  disconnected_by_admin: { code: 4503, reconnect: false, meaning: 'An admin closed this connection.' },
  origin_refused: { code: 4504, reconnect: false, meaning: 'The Origin header is not allowed.' },
} as const);

export type CloseReason = keyof typeof CLOSE_CODES;

/** True when a client should reconnect after a close with this code. */
export function shouldReconnect(code: number): boolean {
  if (code >= 4000 && code <= 4499) return true;
  if (code >= 4500 && code <= 4999) return false;
  return code === 1001 || code === 1006 || code === 1011 || code === 1012 || code === 1013;
}

/** The HTTP status that fits an error code. */
export function httpStatusFor(code: ErrorCode | string): number {
  switch (code) {
    case 'invalid_json':
    case 'invalid_frame':
    case 'invalid_params':
    case 'invalid_event':
      return 400;
    case 'unauthorized':
    case 'token_expired':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'subscription_not_found':
    case 'unknown_action':
      return 404;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
    case 'limit_exceeded':
      return 429;
    case 'store_unavailable':
    case 'bus_unavailable':
    case 'not_ready':
    case 'upstream_unavailable':
      return 503;
    case 'unknown_tool':
      return 404;
    case 'upstream_error':
      return 502;
    case 'call_timeout':
      return 504;
    default:
      return 500;
  }
}
