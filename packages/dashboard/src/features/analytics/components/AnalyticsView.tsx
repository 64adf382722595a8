import { useId, useState } from 'react';
import type { Priority, Severity } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { Panel } from '../../../components/ui/Panel';
import { EmptyState, ErrorState } from '../../../components/ui/States';
import { formatNumber } from '../../../lib/format';
import { PRIORITY_COLOR, PRIORITY_LEVELS, SEVERITY_COLOR, SEVERITY_LEVELS } from '../../../lib/severity';
import type { ViewId } from '../../../app/url-state';
import { useStats, WINDOWS, type WindowId } from '../hooks/useStats';
import { DistributionChart } from './DistributionChart';
import { TimelineChart } from './TimelineChart';

const severityColor = (key: string) => SEVERITY_COLOR[key as Severity];
const priorityColor = (key: string) => PRIORITY_COLOR[key as Priority];

export function AnalyticsView({ onNavigate }: { onNavigate: (view: ViewId) => void }) {
  const id = useId();
  const [windowId, setWindowId] = useState<WindowId>('1h');
  const { data, error, isLoading } = useStats(windowId);
  const errors = data ? data.by_severity.filter((s) => s.key === 'error' || s.key === 'critical').reduce((sum, s) => sum + s.count, 0) : 0;
  const peak = data ? Math.max(0, ...data.timeline.map((p) => p.count)) : 0;

  return (
    <div className="view" aria-busy={isLoading}>
      <div className="glass panel view-title">
        <div>
          <h2>Analytics</h2>
          <p>Traffic over the window, refreshed as events arrive.</p>
        </div>
        <div className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: 8 }}>
          <label htmlFor={`${id}-window`}>Window</label>
          <select
            id={`${id}-window`}
            className="select"
            value={windowId}
            onChange={(e) => setWindowId(e.target.value as WindowId)}
            data-testid="analytics-window"
          >
            {WINDOWS.map((w) => (
              <option key={w.id} value={w.id}>
                Last {w.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && !data ? (
        <ErrorState title="Could not load the statistics">
          <p>{error.message}</p>
        </ErrorState>
      ) : !data ? (
        <p aria-busy="true">Loading statistics…</p>
      ) : data.total === 0 ? (
        <div className="glass panel">
          <EmptyState
            title="No events in this window"
            icon="chart"
            actions={<Button onClick={() => onNavigate('publish')}>Publish a test event</Button>}
          >
            <p>Pick a longer window, or publish something and watch it arrive here.</p>
          </EmptyState>
        </div>
      ) : (
        <div className="grid">
          <div className="metric-grid grid-wide">
            <Stat label="Events in window" value={formatNumber(data.total)} testId="analytics-total" />
            <Stat
              label="Busiest bucket"
              value={formatNumber(peak)}
              sub={`per ${data.bucket_s >= 60 ? `${data.bucket_s / 60} min` : `${data.bucket_s} s`}`}
            />
            <Stat label="Errors and critical" value={formatNumber(errors)} sub={`${Math.round((errors / data.total) * 100)}% of events`} />
            <Stat
              label="Event types"
              value={formatNumber(data.by_type.length)}
              sub={data.by_type.length >= 10 ? 'top 10 shown' : undefined}
            />
          </div>
          <Panel title={`Events over the last ${WINDOWS.find((w) => w.id === windowId)?.label}`} className="grid-wide">
            <TimelineChart stats={data} />
          </Panel>
          <Panel title="Severity">
            <DistributionChart title="Events by severity" counts={data.by_severity} colorFor={severityColor} order={SEVERITY_LEVELS} />
          </Panel>
          <Panel title="Priority">
            <DistributionChart title="Events by priority" counts={data.by_priority} colorFor={priorityColor} order={PRIORITY_LEVELS} />
          </Panel>
          <Panel title="Top event types">
            <DistributionChart title="Top event types" counts={data.by_type} />
          </Panel>
          <Panel title="Activity per source">
            <DistributionChart title="Events per source" counts={data.by_source} />
          </Panel>
        </div>
      )}
    </div>
  );
}

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="glass metric-card">
      <span className="metric-label">{label}</span>
      <span className="metric-value" data-testid={testId}>
        {value}
      </span>
      {sub && <span className="metric-sub">{sub}</span>}
    </div>
  );
}
