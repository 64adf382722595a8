import type { DialectSpec } from '../dialects/dialect.js';
import type { ClientKind } from '../wire/client-socket.js';

/** A run of subscriber roles: indexes `firstIndex … firstIndex+count-1`. */
export interface RoleRange {
  firstIndex: number;
  count: number;
  /** S4: subscriber i filters on group i % 10. */
  isGrouped: boolean;
  /** Herald resume point. */
  since?: number;
}

/** Opens subscribers and keeps them until `close`. */
export interface SubscribeRequest {
  cmd: 'subscribe';
  spec: DialectSpec;
  roles: RoleRange;
  localAddress?: string;
  isDeflateOffered: boolean;
  client: ClientKind;
  timeoutMs: number;
  /** Connections opened at once. */
  concurrency: number;
}

/** Sets the measurement window: events sent in [fromUs, toUs) count. */
export interface WindowRequest {
  cmd: 'window';
  fromUs: number;
  toUs: number;
}

/** Publishes at a paced rate from `startUs` to `toUs`; the window is [fromUs, toUs). */
export interface PublishRequest {
  cmd: 'publish';
  spec: DialectSpec;
  ratePerS: number;
  startUs: number;
  fromUs: number;
  toUs: number;
  payloadBytes: number;
  isGrouped: boolean;
  /**
   * `minimal`: the bench's client, one message per tick carrying the tick's
   * events (Herald's batch publish). `ws-default`: the `ws` client at its
   * defaults, one event per message, as most services publish.
   */
  client: ClientKind;
}

/** Publishes as fast as acknowledgements allow (S6). */
export interface IngestRequest {
  cmd: 'ingest';
  spec: DialectSpec;
  mode: 'http' | 'ws';
  publishers: number;
  batchSize: number;
  fromUs: number;
  toUs: number;
}

/** Stores `count` varied events for history queries (S7) or resume (S8). */
export interface SeedRequest {
  cmd: 'seed';
  spec: DialectSpec;
  count: number;
  batchSize: number;
  inFlight: number;
}

/** Runs history queries until `count` or `maxMs` (S7). */
export interface HistoryRequest {
  cmd: 'history';
  spec: DialectSpec;
  queries: Array<{ name: string; query: string; pages: number }>;
  rounds: number;
  maxMs: number;
}

/** Opens resuming subscribers at once and waits for their `replayed` markers (S8). */
export interface ResumeRequest {
  cmd: 'resume';
  spec: DialectSpec;
  roles: RoleRange;
  localAddress?: string;
  startUs: number;
  timeoutMs: number;
}

export type WorkerRequest =
  | SubscribeRequest
  | WindowRequest
  | PublishRequest
  | IngestRequest
  | SeedRequest
  | HistoryRequest
  | ResumeRequest
  | { cmd: 'counts' }
  | { cmd: 'report' }
  | { cmd: 'close' };

/** Envelope of a request over IPC. */
export interface WorkerEnvelope {
  id: number;
  request: WorkerRequest;
}

/** Envelope of a reply over IPC. */
export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: string;
}

export interface SubscribeResult {
  connected: number;
  failed: number;
  firstError?: string;
}

export interface CountsResult {
  /** Events sent inside the window and received so far. */
  delivered: number;
}

export interface SubscriberReport {
  delivered: number;
  /** Deliveries whose bytes arrived inside the window, whenever sent. */
  receivedInWindow: number;
  histogram: string;
  /** This process's CPU over the window, µs. */
  cpuUs: number;
  closes: Record<string, number>;
  errors: string[];
}

export interface PublishResult {
  sent: number;
  /** Events sent inside the window, per group (index 0 when ungrouped). */
  sentInWindowByGroup: number[];
  acked: number;
  cpuUs: number;
  errors: string[];
  /** Ticks that found more than one burst due: the publisher fell behind. */
  lateTicks: number;
}

export interface IngestResult {
  ackedInWindow: number;
  histogram: string;
  cpuUs: number;
  errors: string[];
}

export interface SeedResult {
  stored: number;
  lastSeq: number;
  elapsedMs: number;
  errors: string[];
}

export interface HistoryResult {
  byQuery: Record<string, { histogram: string; rows: number; runs: number }>;
  errors: string[];
}

export interface ResumeResult {
  /** Per client, µs from `startUs` to its `replayed` marker; -1 when it never came. */
  doneUs: number[];
  replayedEvents: number;
  /** Event frames read, replayed or live: progress when not every client finished. */
  framesReceived: number;
  notRecovered: number;
  failed: number;
  cpuUs: number;
  errors: string[];
}
