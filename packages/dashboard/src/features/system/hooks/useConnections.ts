import { useEffect, useState } from 'react';
import { apiGet } from '../../../lib/api';
import { useSession } from '../../../realtime/session-context';

const POLL_MS = 5_000;

export type ConnectionRow = Record<string, unknown>;

/**
 * `GET /api/connections` (admin), polled. Resolves to undefined while the
 * server has no such route or refuses it, so the view simply leaves the
 * list out.
 */
export function useConnections(): ConnectionRow[] | undefined {
  const session = useSession();
  const [rows, setRows] = useState<ConnectionRow[]>();
  useEffect(() => {
    let isCurrent = true;
    const load = () =>
      apiGet<unknown>(session.token, '/api/connections').then(
        (body) => isCurrent && setRows(rowsOf(body)),
        () => isCurrent && setRows(undefined),
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      isCurrent = false;
      clearInterval(timer);
    };
  }, [session]);
  return rows;
}

function rowsOf(body: unknown): ConnectionRow[] | undefined {
  const list = Array.isArray(body) ? body : (body as { connections?: unknown } | null)?.connections;
  return Array.isArray(list) ? list.filter((r): r is ConnectionRow => typeof r === 'object' && r !== null) : undefined;
}
