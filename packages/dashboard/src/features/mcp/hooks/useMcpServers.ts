import { useCallback, useEffect, useRef, useState } from 'react';
import type { HeraldEvent, McpServerSummary } from '@herald/protocol';
import { apiGet, apiRequest } from '../../../lib/api';
import { useConnection } from '../../../realtime/hooks';
import { useSession } from '../../../realtime/session-context';
import { addHealthChecks, type LatencyHistory } from '../latency-history';

/** The monitor's events: any of them may change what the page shows. */
export const MCP_EVENT_TYPES = ['mcp_status_change', 'circuit_breaker_state', 'mcp_health_check', 'mcp_auto_disabled'];

/** Coalesces a burst of monitor events into one refresh of the list, ms. */
const REFRESH_DELAY_MS = 250;

export interface McpServersState {
  servers?: McpServerSummary[];
  error?: Error;
  isLoading: boolean;
  latency: LatencyHistory;
  /** Admin: enable, disable or reconnect a server; resolves once the server answered. */
  act(name: string, action: 'enable' | 'disable' | 'reconnect'): Promise<void>;
  reload(): void;
}

/**
 * The MCP servers, kept current by the monitor's events over the page's
 * one socket: the list is read with `mcp.list_servers` and read again after
 * each burst of events; health checks feed the latency sparklines (seeded
 * from history so they are not empty on arrival).
 */
export function useMcpServers(): McpServersState {
  const session = useSession();
  const connection = useConnection();
  const [state, setState] = useState<Pick<McpServersState, 'servers' | 'error' | 'isLoading'>>({ isLoading: true });
  const [latency, setLatency] = useState<LatencyHistory>({});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const isOpen = connection.state === 'open';

  const load = useCallback(() => {
    session.client.mcp.listServers().then(
      (servers) => setState({ servers, isLoading: false }),
      (error: Error) => setState((s) => ({ ...s, error, isLoading: false })),
    );
  }, [session]);

  useEffect(() => {
    if (!isOpen) return;
    load();
    apiGet<{ events: HeraldEvent[] }>(session.token, '/api/events/history', { types: 'mcp_health_check', limit: 500 }).then(
      (page) => setLatency((h) => addHealthChecks(h, page.events)),
      () => undefined, // the live checks fill the sparklines soon enough
    );
    const sub = session.client.subscribe({ id: 'dashboard_mcp', types: MCP_EVENT_TYPES, bufferSize: 0 });
    sub.on('event', (event) => {
      if (event.type === 'mcp_health_check') setLatency((h) => addHealthChecks(h, [event]));
      clearTimeout(timer.current);
      timer.current = setTimeout(load, REFRESH_DELAY_MS);
    });
    return () => {
      clearTimeout(timer.current);
      void sub.unsubscribe().catch(() => undefined);
    };
  }, [session, isOpen, load]);

  const act = useCallback(
    async (name: string, action: 'enable' | 'disable' | 'reconnect') => {
      await apiRequest(session.token, 'POST', `/api/mcp/servers/${encodeURIComponent(name)}/${action}`);
      load();
    },
    [session, load],
  );

  return { ...state, latency, act, reload: load };
}
