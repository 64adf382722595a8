/** How the load generator reaches a target; plain data so it crosses process boundaries. */
export interface DialectSpec {
  kind: 'raw-ws' | 'socket.io' | 'nats' | 'herald';
  host: string;
  port: number;
  /** Bearer token (Herald). */
  token?: string;
}

/** What one connection plays. */
export interface Role {
  kind: 'subscriber' | 'publisher';
  /** S4 field-filter group of a subscriber; undefined means every event. */
  group?: number;
  /** Unique per subscriber, used to make every S4 filter different. */
  index: number;
  /** Resume from this seq (Herald). */
  since?: number;
}

/** Events a session reports to its owner. */
export interface SessionEvents {
  /** Handshake and subscription done; events may flow. */
  onReady(): void;
  /** An event with the publisher's send stamp, µs. */
  onEvent(stampUs: number, receivedUs: number): void;
  /** Server acknowledged `eventCount` published events, the last with `lastSeq` (NaN when unknown). */
  onAck(eventCount: number, ackId: number, lastSeq: number): void;
  /** Resume finished: `count` replayed events, then live. */
  onReplayed(count: number, isRecovered: boolean): void;
  /** A protocol-level error reply. */
  onError(text: string): void;
}

/** One event to publish: its S4 group and its data JSON text. */
export interface OutgoingEvent {
  group: number | undefined;
  data: string;
}

/** The per-connection protocol state machine. */
export interface Session {
  onMessage(payload: Buffer, receivedUs: number): void;
}

/** One target protocol, as the generator speaks it. */
export interface Dialect {
  path(role: Role): string;
  headers(): Record<string, string>;
  /** Starts the protocol on an open connection. */
  open(send: (frame: string | Buffer) => void, role: Role, events: SessionEvents): Session;
  /** The frames that publish one tick's events, in order. */
  publishFrames(events: OutgoingEvent[], nextId: () => number): Array<string | Buffer>;
}

/** Name of the room or subject an event or subscriber uses. */
export function roomOf(group: number | undefined): string {
  return group === undefined ? 'all' : `g${group}`;
}
