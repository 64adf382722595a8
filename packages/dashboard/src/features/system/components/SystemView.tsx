import { useMemo } from 'react';
import { Panel } from '../../../components/ui/Panel';
import { Sparkline } from '../../../components/ui/Sparkline';
import { EmptyState } from '../../../components/ui/States';
import { formatBytes, formatDuration, formatNumber } from '../../../lib/format';
import type { MetricsSnapshot } from '../../../realtime/metrics-history';
import { useMetricsHistory } from '../../../realtime/hooks';
import { useConnections } from '../hooks/useConnections';
import { useNodes } from '../hooks/useNodes';
import { ConnectionsTable } from './ConnectionsTable';
import { NodesTable } from './NodesTable';

interface MetricDef {
  label: string;
  read: (m: MetricsSnapshot) => number;
  format: (n: number) => string;
  sub?: (m: MetricsSnapshot) => string;
}

const METRICS: MetricDef[] = [
  {
    label: 'Connections',
    read: (m) => m.active_connections,
    format: formatNumber,
    sub: (m) => `${formatNumber(m.total_connections)} since start`,
  },
  {
    label: 'Events in /s',
    read: (m) => m.rates?.published_per_s ?? 0,
    format: formatNumber,
    sub: (m) => `${formatNumber(m.events_published)} published`,
  },
  {
    label: 'Events out /s',
    read: (m) => m.rates?.sent_per_s ?? 0,
    format: formatNumber,
    sub: (m) => `${formatNumber(m.events_sent)} delivered`,
  },
  {
    label: 'Delivery latency p99',
    read: (m) => m.delivery_latency_ms?.p99 ?? 0,
    format: (n) => `${n.toFixed(n < 10 ? 2 : 0)} ms`,
    sub: (m) => `p50 ${(m.delivery_latency_ms?.p50 ?? 0).toFixed(2)} ms · max ${(m.delivery_latency_ms?.max ?? 0).toFixed(1)} ms`,
  },
  {
    label: 'Dropped',
    read: (m) => m.events_dropped,
    format: formatNumber,
    sub: (m) => `${formatNumber(m.slow_consumers_closed ?? 0)} slow consumers closed`,
  },
  {
    label: 'Stored events',
    read: (m) => m.event_history_size,
    format: formatNumber,
    sub: (m) => `store ${formatBytes(m.store_size_bytes)}`,
  },
  { label: 'Subscriptions', read: (m) => m.subscriptions ?? 0, format: formatNumber },
  {
    label: 'Server memory',
    read: (m) => m.process?.heap_used_bytes ?? 0,
    format: formatBytes,
    sub: (m) => `rss ${formatBytes(m.process?.rss_bytes)} · up ${formatDuration(m.uptime_s)}`,
  },
];

export function SystemView() {
  const history = useMetricsHistory();
  const connections = useConnections();
  const cluster = useNodes();
  const times = useMemo(() => history.map((m) => Date.parse(m.timestamp) / 1000), [history]);
  const latest = history[history.length - 1];
  return (
    <div className="view">
      <div className="glass panel view-title">
        <div>
          <h2>System</h2>
          <p>
            {latest
              ? `Herald's own metrics, as of ${new Date(latest.timestamp).toLocaleTimeString()}; updated by the server's metrics event.`
              : 'Herald’s own metrics.'}
          </p>
        </div>
      </div>
      {!latest ? (
        <div className="glass panel">
          <EmptyState title="Waiting for metrics" icon="cpu">
            <p>
              The server publishes a metrics event every few seconds (HERALD_METRICS_EVENT_INTERVAL_MS). If nothing arrives, check that the
              token may subscribe to <code>metrics</code>.
            </p>
          </EmptyState>
        </div>
      ) : (
        <div className="metric-grid" data-testid="system-metrics">
          {METRICS.map((def) => (
            <MetricCard key={def.label} def={def} latest={latest} times={times} history={history} />
          ))}
        </div>
      )}
      {cluster && (
        <Panel title={`Nodes (${cluster.nodes.length})`}>
          <NodesTable nodes={cluster.nodes} self={cluster.self} />
        </Panel>
      )}
      {connections && (
        <Panel title={`Connections (${connections.length})`}>
          <ConnectionsTable rows={connections} />
        </Panel>
      )}
    </div>
  );
}

function MetricCard({
  def,
  latest,
  times,
  history,
}: {
  def: MetricDef;
  latest: MetricsSnapshot;
  times: readonly number[];
  history: readonly MetricsSnapshot[];
}) {
  const values = useMemo(() => history.map(def.read), [history, def]);
  return (
    <section className="glass metric-card" aria-label={def.label}>
      <span className="metric-label">{def.label}</span>
      <span className="metric-value">{def.format(def.read(latest))}</span>
      {def.sub && <span className="metric-sub">{def.sub(latest)}</span>}
      <Sparkline times={times} values={values} label={`${def.label} over the last ${history.length} samples`} />
    </section>
  );
}
