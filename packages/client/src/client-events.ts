import type { ConnectedMessage, ErrorMessage } from '@herald/protocol';

/**
 * Where the client's connection stands:
 * - `connecting`: the first connect is in progress;
 * - `open`: the server welcomed the client; requests and events flow;
 * - `reconnecting`: the connection dropped (or a try failed) and the client
 *   waits `delayMs` before try `attempt`;
 * - `closed`: for good, by `close()` or by a close code that forbids
 *   reconnecting; `error` says why.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One change of {@link ConnectionState}. */
export interface StatusChange {
  state: ConnectionState;
  previous: ConnectionState | undefined;
  /** Reconnect try number, from 0 (with `reconnecting`). */
  attempt?: number;
  /** Wait before that try, in ms (with `reconnecting`). */
  delayMs?: number;
  /** WebSocket close code of the drop that led here, when there was one. */
  closeCode?: number;
  closeReason?: string;
  /** What failed (with `reconnecting` and `closed`). */
  error?: Error;
}

/** Events of a {@link HeraldClient}. */
export type ClientEvents = {
  /** Every change of connection state. */
  status: [change: StatusChange];
  /** The server's welcome, on every (re)connect. */
  connected: [welcome: ConnectedMessage];
  /** An `error` frame that answers no request: a notice such as `token_expiring` or `rate_limited`. */
  notice: [notice: ErrorMessage];
  /** A failure outside any request: a failed token refresh, a subscription the server refused on resubscribe. */
  error: [error: Error];
};
