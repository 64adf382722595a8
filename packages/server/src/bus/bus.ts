import type { HeraldEvent } from '@herald/protocol';

/**
 * Carries sequenced events between Herald nodes. On one node the memory bus
 * hands each event straight back.
 *
 * Contract:
 * - `publish` is called only with durable events (already committed to the
 *   event store), in ascending `seq` order, each once. A bus therefore never
 *   carries an event the log lacks, and need not hold events back itself.
 * - Every subscriber (`start`'s `onEvent`) of every node receives each
 *   published event once, in the order of `seq` as published by one node.
 */
export interface Bus {
  readonly description: string;
  start(onEvent: (event: HeraldEvent, json: string) => void): Promise<void>;
  publish(event: HeraldEvent, json: string): void;
  isHealthy(): Promise<boolean>;
  stop(): Promise<void>;
}
