import { formatNumber } from '../../../lib/format';
import type { NodeRow } from '../hooks/useNodes';

function ago(iso: string | undefined): string {
  if (!iso) return '–';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return `${s} s ago`;
}

/** The live nodes: one row each, the node that answered marked. */
export function NodesTable({ nodes, self }: { nodes: readonly NodeRow[]; self: string | undefined }) {
  return (
    <div className="table-wrap">
      <table aria-label="Nodes">
        <thead>
          <tr>
            <th scope="col">node</th>
            <th scope="col">connections</th>
            <th scope="col">delivered seq</th>
            <th scope="col">version</th>
            <th scope="col">started</th>
            <th scope="col">last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.node_id}>
              <td>
                {n.node_id}
                {n.node_id === self ? ' (this node)' : ''}
              </td>
              <td>{n.connections === undefined ? '–' : formatNumber(n.connections)}</td>
              <td>{n.delivered_seq === undefined ? '–' : formatNumber(n.delivered_seq)}</td>
              <td>{n.version ?? '–'}</td>
              <td>{n.started_at ? new Date(n.started_at).toLocaleString() : '–'}</td>
              <td>{ago(n.last_heartbeat)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
