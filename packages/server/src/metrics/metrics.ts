import { Counter, Gauge, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type { MetricsSnapshot } from '@herald/protocol';
import type { HubMetrics } from '../hub/hub-metrics.js';
import type { PublisherMetrics } from '../hub/publisher.js';

/** Seconds over which per-second rates are averaged. */
const RATE_WINDOW_S = 10;

/** A JSON snapshot for `GET /api/metrics` and the `metrics` system event. */
export type { MetricsSnapshot };

/**
 * Herald's counters, kept as plain numbers on the hot path and exposed both
 * as JSON and, through prom-client collectors read at scrape time, for
 * Prometheus.
 */
export class Metrics implements HubMetrics, PublisherMetrics {
  readonly registry = new Registry();
  private readonly startedAt = Date.now();
  activeConnections = 0;
  totalConnections = 0;
  subscriptions = 0;
  eventsPublished = 0;
  eventsSent = 0;
  eventsDropped = 0;
  slowConsumersClosed = 0;
  publishesRefused = 0;
  lastActivityMs: number | undefined;
  private readonly samples: Array<{ t: number; published: number; sent: number }> = [];
  private readonly latency: Summary;
  private maxLatencyNs = 0;
  private readonly timer: NodeJS.Timeout;
  /** The store's last answers, shown while it cannot be read. */
  private lastStoreCount = 0;
  private lastStoreSize: number | undefined;

  constructor(
    private readonly probes: {
      storeCount: () => Promise<number>;
      storeSize: () => Promise<number | undefined>;
      subscriptions: () => number;
      isStoreWritable: () => boolean;
    },
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'herald_process_' });
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    gauge('herald_connections_active', 'Open WebSocket connections.', () => this.activeConnections);
    gauge('herald_subscriptions_active', 'Subscriptions across all connections.', () => this.probes.subscriptions());
    counter('herald_connections_total', 'Connections accepted since start.', () => this.totalConnections);
    counter('herald_events_published_total', 'Events accepted (sequenced) since start.', () => this.eventsPublished);
    counter('herald_events_sent_total', 'Event frames handed to connections since start.', () => this.eventsSent);
    counter('herald_publishes_refused_total', 'Events refused with store_unavailable (not acknowledged) since start.', () => this.publishesRefused);
    gauge('herald_store_writable', '1 while the event store takes writes, 0 while publishes are refused.', () => (this.probes.isStoreWritable() ? 1 : 0));
    counter('herald_events_dropped_total', 'Event frames not delivered because their connection was closed as a slow consumer.', () => this.eventsDropped);
    this.latency = new Summary({
      name: 'herald_delivery_latency_seconds',
      help: 'From accepting an event to handing its frames to every local connection.',
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 60,
      ageBuckets: 5,
      registers: [this.registry],
    });
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  private sample(): void {
    this.samples.push({ t: Date.now(), published: this.eventsPublished, sent: this.eventsSent });
    if (this.samples.length > RATE_WINDOW_S + 1) this.samples.shift();
  }

  recordDeliveries(count: number): void {
    this.eventsSent += count;
  }

  recordPublished(count: number): void {
    this.eventsPublished += count;
    this.lastActivityMs = Date.now();
  }

  recordRefused(count: number): void {
    this.publishesRefused += count;
  }

  recordDispatchNs(ns: number): void {
    if (ns > this.maxLatencyNs) this.maxLatencyNs = ns;
    this.latency.observe(ns / 1e9);
  }

  connectionOpened(): void {
    this.activeConnections++;
    this.totalConnections++;
    this.lastActivityMs = Date.now();
  }

  connectionClosed(): void {
    this.activeConnections--;
  }

  private rates(): MetricsSnapshot['rates'] {
    const first = this.samples[0];
    const now = { t: Date.now(), published: this.eventsPublished, sent: this.eventsSent };
    if (!first || now.t - first.t < 500) return { published_per_s: 0, sent_per_s: 0 };
    const dt = (now.t - first.t) / 1000;
    return {
      published_per_s: Math.round((now.published - first.published) / dt),
      sent_per_s: Math.round((now.sent - first.sent) / dt),
    };
  }

  async snapshot(): Promise<MetricsSnapshot> {
    const summary = await this.latency.get();
    const at = (q: number) => {
      const v = summary.values.find((x) => x.labels.quantile === q)?.value;
      return v === undefined || Number.isNaN(v) ? 0 : Math.round(v * 1e6) / 1e3;
    };
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      timestamp: new Date().toISOString(),
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
      active_connections: this.activeConnections,
      total_connections: this.totalConnections,
      subscriptions: this.probes.subscriptions(),
      events_published: this.eventsPublished,
      events_sent: this.eventsSent,
      events_dropped: this.eventsDropped,
      slow_consumers_closed: this.slowConsumersClosed,
      publishes_refused: this.publishesRefused,
      store_writable: this.probes.isStoreWritable(),
      last_activity: this.lastActivityMs ? new Date(this.lastActivityMs).toISOString() : null,
      event_history_size: (this.lastStoreCount = await this.probes.storeCount().catch(() => this.lastStoreCount)),
      store_size_bytes: (this.lastStoreSize = await this.probes.storeSize().catch(() => this.lastStoreSize)) ?? null,
      rates: this.rates(),
      delivery_latency_ms: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(this.maxLatencyNs / 1e3) / 1e3 },
      process: { rss_bytes: mem.rss, heap_used_bytes: mem.heapUsed, cpu_user_ms: Math.round(cpu.user / 1e3), cpu_system_ms: Math.round(cpu.system / 1e3) },
    };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
