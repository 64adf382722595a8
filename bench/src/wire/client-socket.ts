/** Which WebSocket client a generator connection uses. */
export type ClientKind = 'minimal' | 'ws-default';

/**
 * What the load generator needs of a connection, whichever client opened it:
 * the bench's own {@link MiniSocket} or the `ws` library's client.
 */
export interface ClientSocket {
  /** Sends one text message. */
  send(text: string | Buffer): void;
  /** Sends several text messages (one write when the client allows it). */
  sendMany(texts: Array<string | Buffer>): void;
  /** Drops the connection without a closing handshake. */
  destroy(): void;
  readonly isClosed: boolean;
  /** Starts handing messages to the owner (those that came earlier wait until then). */
  start(): void;
}
