import { useEffect, useState } from 'react';
import type { McpToolInfo } from '@herald/protocol';
import { Panel } from '../../../components/ui/Panel';
import { EmptyState, ErrorState } from '../../../components/ui/States';
import { Button } from '../../../components/ui/Button';
import { useConnection } from '../../../realtime/hooks';
import { useSession } from '../../../realtime/session-context';
import { useMcpServers } from '../hooks/useMcpServers';
import { ServerCard } from './ServerCard';
import { ToolRunner } from './ToolRunner';

/** The MCP servers Herald watches, and a runner for their tools. */
export function McpView() {
  const session = useSession();
  const isAdmin = useConnection().welcome?.user.permissions?.includes('admin') === true;
  const mcp = useMcpServers();
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [tools, setTools] = useState<{ server: string; list?: McpToolInfo[]; error?: Error }>({ server: '' });
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  const current = selected ?? mcp.servers?.[0]?.name;
  const currentServer = mcp.servers?.find((s) => s.name === current);
  const toolCount = currentServer?.tools.length ?? 0;

  useEffect(() => {
    if (!current) return;
    let isCurrent = true;
    session.client.mcp.listTools(current).then(
      (list) => isCurrent && setTools({ server: current, list }),
      (error: Error) => isCurrent && setTools({ server: current, error }),
    );
    return () => {
      isCurrent = false;
    };
  }, [session, current, toolCount]);

  return (
    <div className="view" data-testid="mcp-view">
      <div className="glass panel view-title">
        <div>
          <h2>MCP servers</h2>
          <p>
            Status, circuit breaker and health of each server Herald watches; call their tools with a form made from each tool's input
            schema.
          </p>
        </div>
        <Button size="sm" icon="refresh" onClick={mcp.reload}>
          Refresh
        </Button>
      </div>
      {actionError && (
        <div className="banner banner-error" role="alert">
          {actionError}
        </div>
      )}
      {mcp.error && !mcp.servers ? (
        <ErrorState title="Could not list the MCP servers">{mcp.error.message}</ErrorState>
      ) : mcp.servers && mcp.servers.length === 0 ? (
        <EmptyState title="No MCP servers configured" icon="plug">
          Add servers under <code>mcp.servers</code> in the config file (see docs/mcp.md).
        </EmptyState>
      ) : (
        <div className="mcp-layout">
          <div className="mcp-servers" aria-label="Servers">
            {mcp.servers?.map((server) => (
              <ServerCard
                key={server.name}
                server={server}
                latency={mcp.latency[server.name]}
                isSelected={server.name === current}
                isAdmin={isAdmin}
                onSelect={() => setSelected(server.name)}
                onAction={(action) => {
                  setActionError(undefined);
                  mcp.act(server.name, action).catch((err: Error) => setActionError(`${action} ${server.name}: ${err.message}`));
                }}
              />
            ))}
          </div>
          {current && (
            <Panel title={`Tools of ${current}`} className="mcp-tools">
              <ToolRunner
                server={current}
                tools={tools.server === current ? tools.list : undefined}
                error={tools.server === current ? tools.error : undefined}
              />
            </Panel>
          )}
        </div>
      )}
    </div>
  );
}
