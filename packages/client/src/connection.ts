import { shouldReconnect, type ConnectedMessage, type ServerMessage } from '@herald/protocol';
import { HeraldConnectionError } from './errors.js';
import { WEBSOCKET_OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket.js';

/** How a token reaches the server: a first `auth` message (default) or the `token` query parameter. */
export type TokenTransport = 'message' | 'query';

export interface ConnectionParams {
  url: string;
  WebSocket: WebSocketConstructor;
  token: string | undefined;
  tokenTransport: TokenTransport;
  /** Time from opening the socket to the server's `connected` message, in ms. */
  connectTimeoutMs: number;
}

/**
 * Callbacks of one connection. They run synchronously from the socket's
 * events, so `onWelcome` finishes before any later frame reaches `onMessage`.
 */
export interface ConnectionHandlers {
  onWelcome(connection: Connection): void;
  onMessage(message: ServerMessage): void;
  /** The server or the network ended the connection (not called after {@link Connection.close}). */
  onClose(code: number, reason: string): void;
}

/** One authenticated socket, from the server's `connected` message on. */
export interface Connection {
  readonly welcome: ConnectedMessage;
  /** True until the socket closes. */
  readonly isOpen: boolean;
  send(frame: object): void;
  /** Closes from this side; `onClose` is not called. */
  close(code: number, reason: string): void;
}

/**
 * Opens a socket, authenticates and waits for `connected`. Rejects with a
 * {@link HeraldConnectionError} carrying the close code when the socket ends
 * first (`connection_lost` when that code allows a retry), or when
 * `connectTimeoutMs` passes.
 */
export function openConnection(params: ConnectionParams, handlers: ConnectionHandlers): Promise<Connection> {
  return new Promise<Connection>((resolve, reject) => {
    let socket: WebSocketLike;
    try {
      socket = new params.WebSocket(connectUrl(params));
    } catch (err) {
      reject(new HeraldConnectionError('connection_closed', `cannot open a WebSocket to ${params.url}: ${(err as Error).message}`));
      return;
    }
    let lastError: string | undefined;
    let connection: SocketConnection | undefined;
    const timer = setTimeout(() => {
      detach(socket);
      socket.close();
      reject(new HeraldConnectionError('connection_lost', `no "connected" message within ${params.connectTimeoutMs} ms`));
    }, params.connectTimeoutMs);

    socket.onerror = () => {};
    socket.onopen = () => {
      if (params.token !== undefined && params.tokenTransport === 'message') {
        socket.send(JSON.stringify({ action: 'auth', token: params.token }));
      }
    };
    socket.onmessage = (event) => {
      const message = parseServerMessage(event.data);
      if (!message) return;
      if (connection) {
        handlers.onMessage(message);
      } else if (message.type === 'connected') {
        clearTimeout(timer);
        connection = new SocketConnection(socket, message);
        handlers.onWelcome(connection);
        resolve(connection);
      } else if (message.type === 'error') {
        lastError = `${message.code}: ${message.message}`;
      }
    };
    socket.onclose = (event) => {
      detach(socket);
      if (connection) {
        connection.isOpen = false;
        handlers.onClose(event.code, event.reason);
        return;
      }
      clearTimeout(timer);
      const retry = shouldReconnect(event.code);
      const why = [event.reason, lastError].filter(Boolean).join('; ');
      reject(
        new HeraldConnectionError(
          retry ? 'connection_lost' : 'connection_closed',
          `the connection closed before the server welcomed it (code ${event.code}${why ? `: ${why}` : ''})`,
          event.code,
          event.reason,
        ),
      );
    };
  });
}

class SocketConnection implements Connection {
  isOpen = true;
  constructor(
    private readonly socket: WebSocketLike,
    readonly welcome: ConnectedMessage,
  ) {}

  send(frame: object): void {
    if (this.isOpen && this.socket.readyState === WEBSOCKET_OPEN) this.socket.send(JSON.stringify(frame));
  }

  close(code: number, reason: string): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    detach(this.socket);
    this.socket.close(code, reason);
  }
}

function detach(socket: WebSocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // Kept: `ws` throws an 'error' event nobody listens to.
  socket.onerror = () => {};
}

/** The URL to dial: the token goes in the query only when asked, since URLs end up in logs. */
export function connectUrl(params: Pick<ConnectionParams, 'url' | 'token' | 'tokenTransport'>): string {
  if (params.token === undefined || params.tokenTransport !== 'query') return params.url;
  const url = new URL(params.url);
  url.searchParams.set('token', params.token);
  return url.toString();
}

/** Parses one text frame; undefined for anything that is not a JSON object with a string `type`. */
export function parseServerMessage(data: unknown): ServerMessage | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(data);
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') return value as ServerMessage;
  } catch {
    // A malformed frame is the server's bug; skipping it keeps the connection usable.
  }
  return undefined;
}
