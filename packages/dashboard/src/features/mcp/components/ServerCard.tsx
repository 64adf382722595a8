import type { McpServerSummary } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { Sparkline } from '../../../components/ui/Sparkline';
import type { LatencyHistory } from '../latency-history';

const STATUS_TONE: Record<McpServerSummary['status'], 'ok' | 'warn' | 'bad' | 'off'> = {
  active: 'ok',
  degraded: 'warn',
  inactive: 'bad',
  disabled: 'off',
};

/** One server: status, circuit, latency sparkline, last check, tools, and the admin's switches. */
export function ServerCard({
  server,
  latency,
  isSelected,
  isAdmin,
  onSelect,
  onAction,
}: {
  server: McpServerSummary;
  latency: LatencyHistory[string] | undefined;
  isSelected: boolean;
  isAdmin: boolean;
  onSelect(): void;
  onAction(action: 'enable' | 'disable' | 'reconnect'): void;
}) {
  const check = server.last_check;
  return (
    <article
      className="glass panel mcp-server"
      data-testid="mcp-server"
      data-name={server.name}
      data-status={server.status}
      aria-current={isSelected ? 'true' : undefined}
    >
      <header className="mcp-server-head">
        <button type="button" className="mcp-server-name" onClick={onSelect} aria-pressed={isSelected}>
          {server.name}
        </button>
        <span className="mcp-badge" data-tone={STATUS_TONE[server.status]} data-testid="mcp-status">
          {server.status}
        </span>
        <span
          className="mcp-badge"
          data-tone={server.circuit_state === 'closed' ? 'ok' : server.circuit_state === 'open' ? 'bad' : 'warn'}
          data-testid="mcp-circuit"
          title="Circuit breaker"
        >
          circuit {server.circuit_state.replace('_', '-')}
        </span>
      </header>
      <p className="metric-sub">
        {server.transport}
        {server.server_info ? ` · ${server.server_info.name} ${server.server_info.version}` : ''} · {server.tools.length} tools
        {server.failure_cycles > 0 ? ` · ${server.failure_cycles} failed cycles` : ''}
      </p>
      <Sparkline label={`${server.name} health check latency`} times={latency?.times ?? []} values={latency?.values ?? []} />
      <p className="metric-sub" data-testid="mcp-last-check">
        {check
          ? `Last check ${new Date(check.checked_at).toLocaleTimeString()}: ${check.status}, ${check.latency_ms} ms${check.error ? ` (${check.error})` : ''}`
          : 'No health check yet'}
      </p>
      {isAdmin && (
        <div className="pager" style={{ justifyContent: 'flex-start' }}>
          {server.status === 'disabled' ? (
            <Button size="sm" variant="primary" onClick={() => onAction('enable')}>
              Enable
            </Button>
          ) : (
            <Button size="sm" variant="danger" onClick={() => onAction('disable')}>
              Disable
            </Button>
          )}
          <Button size="sm" icon="refresh" onClick={() => onAction('reconnect')} disabled={server.status === 'disabled'}>
            Reconnect
          </Button>
        </div>
      )}
    </article>
  );
}
