import type { HeraldEvent } from '@herald/protocol';

/** Receives the deployment's events, in ascending seq. */
export type BusListener = (event: HeraldEvent, json: string) => void;

/**
 * Carries durable, sequenced events to every Herald node of a deployment.
 *
 * Contract:
 * - `publish` is called only with events already in the store, in ascending
 *   seq per node; it never blocks the caller and never throws. A publish the
 *   transport loses is still delivered: the receivers close the gap from the
 *   store.
 * - Every node's listener gets every published event exactly once, in
 *   ascending seq across all nodes (one global order), starting after the
 *   `afterSeq` given to `start`. A seq that will never carry an event
 *   (`abandon`, or a publisher that died) is skipped, never delivered late.
 * - On one node (the memory bus) the listener runs synchronously inside
 *   `publish`.
 */
export interface Bus {
  /** Human name for /health, without credentials, e.g. `redis://127.0.0.1:6379/0`. */
  readonly description: string;
  /** Begins delivery of events with seq > afterSeq (the store's highest at start). */
  start(listener: BusListener, afterSeq: number): Promise<void>;
  publish(event: HeraldEvent, json: string): void;
  /** Tells every node that these seqs were taken but will never carry an event (their append failed). */
  abandon(seqs: readonly number[]): void;
  /** The highest seq delivered to the listener, or skipped, so far. */
  readonly deliveredSeq: number;
  /** True while the bus can carry new events. */
  isHealthy(): Promise<boolean>;
  stop(): Promise<void>;
}
