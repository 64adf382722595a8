import type { Identity } from '../auth/identity.js';
import type { OutboundFrame } from '../connection/ws-frame.js';

/**
 * What the hub needs of a connection: who it is, what it may see, and a way
 * to hand it a frame. The hub never sees a socket.
 */
export interface Subscriber {
  readonly id: string;
  readonly identity: Identity;
  /** Current org (after any context switch); undefined for org-less identities. */
  readonly org: string | undefined;
  /** True for identities that see every org's events. */
  readonly seesAllOrgs: boolean;
  /** Admins see the audit trail (`audit.*`, `connection.*`). */
  readonly isAdmin: boolean;
  /** A connection opened with a correlation id sees only that id's events. */
  readonly correlationId: string | undefined;
  readonly isOpen: boolean;
  /** Bytes queued but not yet written; replay waits while this is high. */
  readonly queuedBytes: number;
  /** Resolves once at most `bytes` are queued (or the connection closed); a replay waits on it. */
  waitForDrain(bytes: number): Promise<void>;
  /** Queues one framed message (see connection/ws-frame.ts), shared with other subscribers. */
  deliver(frame: OutboundFrame): void;
  /** Sends a control message (a reply or marker) as JSON. */
  sendMessage(message: object): void;
}
