import type { ConnectionRow } from '../hooks/useConnections';

const PREFERRED = ['client_id', 'id', 'user', 'user_id', 'org', 'subscriptions', 'connected_at', 'remote_address', 'ip', 'user_agent'];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) return String(value.length);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    return String(v.id ?? v.name ?? JSON.stringify(value));
  }
  return String(value);
}

/** Live connections as the server reports them; the columns follow what it sends. */
export function ConnectionsTable({ rows }: { rows: readonly ConnectionRow[] }) {
  const keys = new Set(rows.flatMap((r) => Object.keys(r)));
  const columns = [...PREFERRED.filter((k) => keys.has(k)), ...[...keys].filter((k) => !PREFERRED.includes(k))].slice(0, 7);
  if (rows.length === 0) return <p>No connections right now.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="Live connections">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c.replace(/_/g, ' ')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={cell(row.client_id ?? row.id ?? i)}>
              {columns.map((c) => (
                <td key={c}>{cell(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
