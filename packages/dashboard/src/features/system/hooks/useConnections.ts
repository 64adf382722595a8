import { usePolledAdminGet } from './usePolledAdminGet';

export type ConnectionRow = Record<string, unknown>;

/**
 * `GET /api/connections` (admin), polled. Resolves to undefined while the
 * server has no such route or refuses it, so the view simply leaves the
 * list out.
 */
export function useConnections(): ConnectionRow[] | undefined {
  return usePolledAdminGet('/api/connections', rowsOf);
}

function rowsOf(body: unknown): ConnectionRow[] | undefined {
  const list = Array.isArray(body) ? body : (body as { connections?: unknown } | null)?.connections;
  return Array.isArray(list) ? list.filter((r): r is ConnectionRow => typeof r === 'object' && r !== null) : undefined;
}
