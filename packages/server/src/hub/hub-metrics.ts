/** The counters the hub feeds; the metrics module implements it. */
export interface HubMetrics {
  /** Frames handed to connections for one event. */
  recordDeliveries(count: number): void;
}
