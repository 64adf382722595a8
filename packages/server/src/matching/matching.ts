import type { Filters, HeraldEvent } from '@herald/protocol';

/**
 * Resolves a filter key to the event path it reads. Registry filter names
 * map to their declared path (`mcp_names` -> `data.mcp_name`); event fields
 * (`severity`, `source`, `data.latency_ms`) map to themselves; any other bare
 * key reads `data.<key>`.
 */
export interface FilterFieldResolver {
  /** The path a filter key reads, e.g. `data.mcp_name`. */
  pathFor(key: string): string;
  /** For number fields declared with an operator (`min_failure_cycles` means `gte`). */
  operatorFor?(key: string): 'eq' | 'gte' | 'lte' | undefined;
}

/** A compiled filter: true when the event passes every key. Pure, no allocation per call where avoidable. */
export type EventPredicate = (event: HeraldEvent) => boolean;

/** A subscription as the index holds it. */
export interface IndexedSubscription<T> {
  /** Unique across the index. */
  key: string;
  patterns: readonly string[];
  /** Compiled filters; undefined means every event of a matching type. */
  predicate: EventPredicate | undefined;
  /**
   * An equality the predicate requires (from `equalityHint`): the index then
   * tests the subscription only against events whose value can match. The
   * predicate still decides.
   */
  hint?: { path: readonly string[]; values: readonly (string | number | boolean | null)[] } | undefined;
  value: T;
}

/**
 * Indexes subscriptions by type pattern so that an event is checked only
 * against subscriptions whose patterns can match its type.
 */
export interface SubscriptionIndex<T> {
  add(entry: IndexedSubscription<T>): void;
  /** Removes by key; no-op when absent. */
  remove(key: string): void;
  /** Number of subscriptions held. */
  readonly size: number;
  /**
   * Calls `visit` once for each subscription whose patterns match the event's
   * type and whose predicate passes, in no particular order.
   */
  match(event: HeraldEvent, visit: (entry: IndexedSubscription<T>) => void): void;
}

export type { Filters };
