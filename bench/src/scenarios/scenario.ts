import type { ClientKind } from '../wire/client-socket.js';

/** The scenario ids of issue 5, in order. */
export const SCENARIO_IDS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** N subscribers, a paced publisher: S1-S4, S9. */
export interface FanoutCase {
  kind: 'fanout';
  subscribers: number;
  ratePerS: number;
  payloadBytes: number;
  /** S4: each subscriber receives only its group's 10%. */
  isGrouped: boolean;
  /** S9: clients offer permessage-deflate and servers accept it. */
  isDeflate: boolean;
  /**
   * `minimal`: the bench's light client and a batching publisher.
   * `ws-default`: subscribers and publisher use the `ws` client at its
   * defaults (permessage-deflate offered), one event per published message;
   * every server at its own defaults.
   */
  client: ClientKind;
}

/** S5: idle subscribed connections. */
export interface IdleCase {
  kind: 'idle';
  connections: number;
  /** As in {@link FanoutCase}: `ws-default` connections offer permessage-deflate. */
  client: ClientKind;
}

/** S6: durable ingest. */
export interface IngestCase {
  kind: 'ingest';
  mode: 'http' | 'ws';
  publishers: number;
  batchSize: number;
}

/** S7: history queries over stored events. */
export interface HistoryCase {
  kind: 'history';
  storedEvents: number;
}

/** S8: clients resuming at once from `back` events ago. */
export interface ResumeCase {
  kind: 'resume';
  clients: number;
  back: number;
}

export type ScenarioCase = FanoutCase | IdleCase | IngestCase | HistoryCase | ResumeCase;

/** Phases of a measured run, ms. */
export interface Timing {
  warmupMs: number;
  windowMs: number;
  /** Longest wait for late deliveries after the window. */
  drainMs: number;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Issue 5's goal for Herald, quoted under the table. */
  goal: string;
  cases: ScenarioCase[];
  /** Interleaved repetitions (A B C A B C); cells show the median. */
  reps: number;
  timing: Timing;
}
