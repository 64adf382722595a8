import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CLOSE_CODES, type CloseReason } from '@herald/protocol';
import { isAdmin, type Identity } from '../auth/identity.js';
import type { LimitsConfig } from '../config/config-schema.js';
import type { Subscriber } from '../hub/subscriber.js';
import { joinShared, type Flushable, type FlushScheduler, type SharedWrites } from './flush-scheduler.js';
import { TokenBucket } from './token-bucket.js';
import { OutboundFrame } from './ws-frame.js';

export interface ConnectionInfo {
  clientId: string;
  sessionId: string;
  remoteAddress: string;
  userAgent: string | undefined;
  correlationId: string | undefined;
  /** The path's client id (`/ws/:clientId`), when given. */
  requestedClientId: string | undefined;
  /** `?all_orgs=true`: an identity with the admin permission sees every org's events. */
  wantsAllOrgs: boolean;
  /** Smallest payload sent compressed to a permessage-deflate connection, bytes. */
  compressionThresholdBytes: number;
}

/** Counters a connection reports to the metrics module. */
export interface ConnectionEvents {
  onSlowConsumer(connection: ClientConnection, droppedFrames: number): void;
}

/**
 * One WebSocket connection: identity, outbound queue with its bounds,
 * liveness and rate limit. Frames queued during a turn go out in one corked
 * write (see FlushScheduler).
 */
export class ClientConnection implements Subscriber, Flushable {
  readonly id: string;
  identity: Identity;
  org: string | undefined;
  readonly connectedAtMs = Date.now();
  lastSeenMs = Date.now();
  /** Heartbeat pings sent since the peer last spoke (pong or message). */
  missedPings = 0;
  messagesIn = 0;
  messagesOut = 0;
  isAuthenticated = false;
  private queue: Buffer[] = [];
  /** Set when the client negotiated permessage-deflate: large frames go out compressed (once for all). */
  private readonly deflateThresholdBytes: number | undefined;
  private queuedLength = 0;
  private closed = false;
  /** Why Herald closed it, when Herald did (for `connection.closed`). */
  closeReason: CloseReason | undefined;
  closeCode: number | undefined;
  closeText: string | undefined;
  private bucket: TokenBucket;
  private isServiceBucket: boolean;

  constructor(
    private readonly ws: WebSocket,
    readonly info: ConnectionInfo,
    identity: Identity,
    private readonly limits: LimitsConfig,
    private readonly scheduler: FlushScheduler,
    private readonly events: ConnectionEvents,
  ) {
    this.id = info.clientId;
    this.identity = identity;
    this.org = identity.org;
    this.isServiceBucket = isService(identity);
    this.bucket = this.newBucket();
    this.deflateThresholdBytes = ws.extensions.includes('permessage-deflate') ? info.compressionThresholdBytes : undefined;
  }

  get seesAllOrgs(): boolean {
    // The operator's admin token sees every org; other admins when they ask; everyone else only their current org.
    return this.identity.kind === 'admin' || (this.info.wantsAllOrgs && isAdmin(this.identity));
  }

  get isAdmin(): boolean {
    return isAdmin(this.identity);
  }

  get correlationId(): string | undefined {
    return this.info.correlationId;
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === 1;
  }

  get queuedBytes(): number {
    return this.queuedLength + this.ws.bufferedAmount;
  }

  /** Bytes the socket still held after the last flush. */
  private socketBacklogBytes = 0;

  get queuedFrames(): number {
    return this.queue.length;
  }

  /**
   * Sets who is connected. The message budget follows the kind of identity:
   * services (API keys, the admin token) publish at rates no browser sends,
   * so they get their own limits.
   */
  setIdentity(identity: Identity): void {
    this.identity = identity;
    this.org = identity.org;
    if (isService(identity) !== this.isServiceBucket) {
      this.isServiceBucket = !this.isServiceBucket;
      this.bucket = this.newBucket();
    }
  }

  /** The connection's message budget (see {@link setIdentity}). */
  get rateLimit(): TokenBucket {
    return this.bucket;
  }

  /** The limit in force, named as in the config, for the rate_limited reply. */
  get messageLimit(): { name: 'messagesPerSecond' | 'serviceMessagesPerSecond'; perSecond: number } {
    return this.isServiceBucket
      ? { name: 'serviceMessagesPerSecond', perSecond: this.limits.serviceMessagesPerSecond }
      : { name: 'messagesPerSecond', perSecond: this.limits.messagesPerSecond };
  }

  private newBucket(): TokenBucket {
    const { limits } = this;
    return this.isServiceBucket
      ? new TokenBucket(limits.serviceMessagesPerSecond, limits.serviceMessageBurst)
      : new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
  }

  deliver(message: OutboundFrame): void {
    if (this.closed) return;
    const frame = this.deflateThresholdBytes === undefined ? message.plain : message.forDeflate(this.deflateThresholdBytes);
    this.queuedLength += frame.length;
    const count = this.queue.push(frame);
    if (count === 1) this.scheduler.schedule(this);
    // The socket's backlog was read at the last flush; it can only have shrunk since, so the check errs on the safe side.
    if (count > this.limits.maxQueuedMessages || this.queuedLength + this.socketBacklogBytes > this.limits.maxQueuedBytes) {
      this.queue = [];
      this.queuedLength = 0;
      this.events.onSlowConsumer(this, count);
      this.close('slow_consumer', 'send queue full: reconnect and resume with since');
    }
  }

  async waitForDrain(bytes: number): Promise<void> {
    while (this.isOpen && this.queuedBytes > bytes) {
      if (this.queue.length > 0) {
        // The flush runs in the check phase: let it.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const socket = (this.ws as unknown as { _socket?: Socket })._socket;
      if (!socket) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        // drain fires once the socket's buffer emptied; the timer covers a backlog held by ws itself.
        const timer = setTimeout(done, 20);
        socket.once('drain', done);
        socket.once('close', done);
      });
    }
  }

  sendMessage(message: object): void {
    this.deliver(OutboundFrame.fromText(JSON.stringify(message)));
  }

  flush(shared?: SharedWrites): void {
    const frames = this.queue;
    if (frames.length === 0 || this.closed) return;
    this.queue = [];
    this.queuedLength = 0;
    this.messagesOut += frames.length;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket || !socket.writable || this.ws.readyState !== 1) return;
    // The frames are complete WebSocket frames: one write per connection per turn, and connections
    // that got the same frames this turn share one joined buffer.
    socket.write(frames.length === 1 ? frames[0]! : joinShared(frames, shared));
    this.socketBacklogBytes = socket.writableLength;
  }

  /** Closes with one of Herald's named close codes. */
  close(reason: CloseReason, text?: string): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    const { code, meaning } = CLOSE_CODES[reason];
    this.closeReason = reason;
    this.closeCode = code;
    this.closeText = text ?? meaning;
    // A close reason is limited to 123 bytes.
    this.ws.close(code, (text ?? meaning).slice(0, 120));
    const timer = setTimeout(() => this.ws.terminate(), 5_000);
    timer.unref();
  }

  /** The socket closed (either side): stop queueing. */
  markClosed(): void {
    this.closed = true;
    this.queue = [];
    this.queuedLength = 0;
  }

  /** Drops the socket without a closing handshake (dead peer). */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  ping(): void {
    if (!this.closed) this.ws.ping();
  }
}

/** Reads the first address a request came from. */
export function remoteAddressOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function isService(identity: Identity): boolean {
  return identity.kind === 'api_key' || identity.kind === 'admin';
}
