import { shouldReconnect, type ConnectedMessage, type ErrorMessage, type ServerMessage } from '@herald/protocol';
import { AsyncQueue } from './async-queue.js';
import type { ClientEvents, ConnectionState, StatusChange } from './client-events.js';
import type { ResolvedClientOptions } from './client-options.js';
import { openConnection, type Connection } from './connection.js';
import { HeraldConnectionError, HeraldError } from './errors.js';
import { ReconnectLoop, ReconnectStoppedError } from './reconnect-loop.js';
import { RequestTracker, type OutgoingFrame } from './request-tracker.js';
import type { TypedEmitter } from './typed-emitter.js';

/** Most status changes a `status()` iterator holds for a reader that lags; the oldest go first. */
const STATUS_BUFFER_SIZE = 64;

/** Reads that mean the same on any connection: sent again after a drop instead of failing. */
const RESENDABLE_ACTIONS = new Set(['history', 'get_metadata', 'list_subscriptions']);

/** What the session tells its client. Each runs synchronously from a socket event. */
export interface SessionHooks {
  /** A connection opened: resubscribe and resend. Runs before status listeners hear of it. */
  onOpen(): void;
  /** Any frame, before a reply settles its request. */
  onFrame(message: ServerMessage): void;
  /** The session closed for good; `isByUser` when by `close()`. */
  onClosed(error: HeraldConnectionError, isByUser: boolean): void;
}

/**
 * The connection side of a client: one socket at a time, the reconnect loop
 * that replaces it as close codes allow, token handling, connection state,
 * and request/reply pairing. Knows nothing of subscriptions or publishes.
 */
export class ClientSession {
  readonly #options: ResolvedClientOptions;
  readonly #events: TypedEmitter<ClientEvents>;
  readonly #hooks: SessionHooks;
  readonly #tracker: RequestTracker;
  readonly #loop: ReconnectLoop<Connection>;
  readonly #statusQueues = new Set<AsyncQueue<StatusChange>>();
  #connection: Connection | undefined;
  #state: ConnectionState | undefined;
  #closedError: HeraldConnectionError | undefined;
  // Read through ??= below: one refresh at a time.
  // eslint-disable-next-line no-unused-private-class-members
  #tokenRefresh: Promise<void> | undefined;

  constructor(options: ResolvedClientOptions, events: TypedEmitter<ClientEvents>, hooks: SessionHooks) {
    this.#options = options;
    this.#events = events;
    this.#hooks = hooks;
    this.#tracker = new RequestTracker({ timeoutMs: options.requestTimeoutMs, maxPending: options.maxPendingRequests });
    this.#loop = new ReconnectLoop({
      attempt: () => this.#attempt(),
      isRetryable: (err) => err instanceof HeraldError && (err.code === 'connection_lost' || err.code === 'token_unavailable'),
      backoff: options.backoff,
      maxRetries: options.maxReconnectAttempts,
      onRetry: ({ attempt, delayMs, error }) => this.#setState('reconnecting', { attempt, delayMs, ...closeInfo(error) }),
    });
  }

  get state(): ConnectionState {
    return this.#state ?? 'closed';
  }

  get welcome(): ConnectedMessage | undefined {
    return this.#connection?.welcome;
  }

  /** Set once the session is closed for good. */
  get closedError(): HeraldConnectionError | undefined {
    return this.#closedError;
  }

  /** Starts connecting, once. */
  start(): void {
    if (this.#state !== undefined || this.#closedError) return;
    this.#setState('connecting', {});
    this.#runLoop(undefined);
  }

  ready(): Promise<void> {
    this.start();
    if (this.#closedError) return Promise.reject(this.#closedError);
    if (this.#state === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.#events.on('status', (change) => {
        if (change.state === 'open') resolve();
        else if (change.state === 'closed') reject(this.#closedError);
        else return;
        off();
      });
    });
  }

  status(): AsyncIterableIterator<StatusChange> {
    const queue: AsyncQueue<StatusChange> = new AsyncQueue({
      capacity: STATUS_BUFFER_SIZE,
      onReturn: () => this.#statusQueues.delete(queue),
    });
    if (this.#closedError) queue.end();
    else this.#statusQueues.add(queue);
    return queue;
  }

  /**
   * A request with a reply. Waits for a connection when there is none (the
   * timeout counts from now); counts against `maxPendingRequests`.
   */
  request(
    frame: OutgoingFrame,
    options: { timeoutMs?: number; onChunk?: (chunk: Extract<ServerMessage, { type: 'chunk' }>) => void } = {},
  ): Promise<ServerMessage> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    this.start();
    const connection = this.#connection;
    try {
      const tracked = this.#tracker.track(frame, { ...options, isSent: connection !== undefined });
      connection?.send(tracked.frame);
      return tracked.reply;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Sends a request on the open connection, or returns undefined when there
   * is none. Not counted against `maxPendingRequests`: for callers that bound
   * and resend their own frames (subscriptions, publishes).
   */
  sendNow(frame: OutgoingFrame): { connection: Connection; reply: Promise<ServerMessage> } | undefined {
    const connection = this.#connection;
    if (!connection) return undefined;
    const tracked = this.#tracker.track(frame, { isSent: true, isBounded: false });
    connection.send(tracked.frame);
    return { connection, reply: tracked.reply };
  }

  /** Drops `connection` if it is still the current one and reconnects. */
  drop(connection: Connection, code: number, reason: string): void {
    if (this.#connection !== connection) return;
    connection.close(code, reason);
    this.#handleDrop(code, reason);
  }

  /** Drops the current connection, if any, and reconnects. */
  reconnect(): void {
    if (this.#connection) this.drop(this.#connection, 4000, 'client reconnect');
  }

  close(error: HeraldConnectionError, isByUser: boolean): void {
    if (this.#closedError) return;
    this.#closedError = error;
    this.#loop.stop();
    this.#connection?.close(1000, 'client closed');
    this.#connection = undefined;
    this.#tracker.failAll(error);
    this.#hooks.onClosed(error, isByUser);
    this.#setState('closed', { ...closeInfo(error), ...(isByUser ? {} : { error }) });
    for (const queue of this.#statusQueues) queue.end();
    this.#statusQueues.clear();
  }

  #runLoop(after: { error: unknown } | undefined): void {
    this.#loop.run(after).then(
      () => {},
      (err: unknown) => {
        if (err instanceof ReconnectStoppedError) return;
        const error =
          err instanceof HeraldConnectionError
            ? new HeraldConnectionError('connection_closed', err.message, err.closeCode, err.closeReason)
            : new HeraldConnectionError('connection_closed', `giving up reconnecting: ${(err as Error).message}`);
        this.close(error, false);
      },
    );
  }

  async #attempt(): Promise<Connection> {
    let token = this.#options.token;
    if (this.#options.getToken) {
      try {
        token = await this.#options.getToken();
      } catch (err) {
        this.#events.emit('error', err as Error);
        throw new HeraldError('token_unavailable', `getToken failed: ${(err as Error).message}`);
      }
    }
    if (this.#closedError) throw new ReconnectStoppedError('the client was closed');
    const { url, WebSocket, tokenTransport, connectTimeoutMs } = this.#options;
    return openConnection(
      { url, WebSocket, token, tokenTransport, connectTimeoutMs },
      {
        onWelcome: (connection) => this.#handleWelcome(connection),
        onMessage: (message) => this.#handleMessage(message),
        onClose: (code, reason) => this.#handleDrop(code, reason),
      },
    );
  }

  #handleWelcome(connection: Connection): void {
    if (this.#closedError) {
      connection.close(1000, 'client closed');
      return;
    }
    this.#connection = connection;
    this.#loop.markConnected();
    // Resubscribe and resend before listeners run, so a listener's own request is not sent twice.
    this.#hooks.onOpen();
    for (const frame of this.#tracker.takeUnsent()) connection.send(frame);
    this.#setState('open', {});
    this.#events.emit('connected', connection.welcome);
  }

  #handleDrop(code: number, reason: string): void {
    this.#connection = undefined;
    const lost = new HeraldConnectionError('connection_lost', `the connection dropped (code ${code}) before the reply came`, code, reason);
    this.#tracker.failSent(lost, (frame) => RESENDABLE_ACTIONS.has(frame.action));
    if (this.#closedError) return;
    if (shouldReconnect(code)) {
      this.#runLoop({ error: lost });
      return;
    }
    const why = reason ? `: ${reason}` : '';
    this.close(new HeraldConnectionError('connection_closed', `the server closed the connection with code ${code}${why}`, code, reason), false);
  }

  #handleMessage(message: ServerMessage): void {
    this.#hooks.onFrame(message);
    if (message.type === 'error') {
      if (!this.#tracker.settle(message)) this.#handleNotice(message);
    } else if (message.type !== 'event' && message.type !== 'replayed') {
      this.#tracker.settle(message);
    }
  }

  /** An error no request owns. A token notice triggers a refresh through `getToken`. */
  #handleNotice(notice: ErrorMessage): void {
    this.#events.emit('notice', notice);
    const getToken = this.#options.getToken;
    if (!getToken || (notice.code !== 'token_expiring' && notice.code !== 'token_expired') || !this.#connection) return;
    this.#tokenRefresh ??= (async () => {
      try {
        await this.request({ action: 'auth', token: await getToken() });
      } catch (err) {
        this.#events.emit('error', err as Error);
      } finally {
        this.#tokenRefresh = undefined;
      }
    })();
  }

  #setState(state: ConnectionState, details: Omit<StatusChange, 'state' | 'previous'>): void {
    const change: StatusChange = { state, previous: this.#state, ...details };
    this.#state = state;
    for (const queue of this.#statusQueues) queue.push(change);
    this.#events.emit('status', change);
  }
}

function closeInfo(error: unknown): Pick<StatusChange, 'closeCode' | 'closeReason' | 'error'> {
  if (!(error instanceof Error)) return {};
  if (!(error instanceof HeraldConnectionError) || error.closeCode === undefined) return { error };
  return { closeCode: error.closeCode, ...(error.closeReason ? { closeReason: error.closeReason } : {}), error };
}
