/**
 * Hands out seqs: the one ordered numbering of a deployment's events.
 *
 * Contract: `take(count)` reserves `count` consecutive seqs, each above
 * every seq taken before by any node and above the store's highest, and
 * resolves to the first. A seq is handed out once, ever. When it cannot
 * (the cluster's counter is unreachable) it rejects with a
 * `bus_unavailable` error carrying `retry_after_ms`.
 */
export interface SeqSource {
  readonly description: string;
  take(count: number): Promise<number>;
}
