import { usePolledAdminGet } from './usePolledAdminGet';

/** One node as `GET /api/nodes` describes it. */
export interface NodeRow {
  node_id: string;
  url?: string;
  version?: string;
  started_at?: string;
  last_heartbeat?: string;
  connections?: number;
  delivered_seq?: number;
}

/**
 * `GET /api/nodes` (admin), polled: the live nodes of the deployment and
 * which one served the request. Undefined while the server has no such
 * route or refuses it, so the view leaves the panel out.
 */
export function useNodes(): { self: string | undefined; nodes: NodeRow[] } | undefined {
  return usePolledAdminGet('/api/nodes', nodesOf);
}

function nodesOf(body: unknown): { self: string | undefined; nodes: NodeRow[] } | undefined {
  const b = body as { self?: unknown; nodes?: unknown } | null;
  if (!b || !Array.isArray(b.nodes)) return undefined;
  const nodes = b.nodes.filter((n): n is NodeRow => typeof n === 'object' && n !== null && typeof (n as NodeRow).node_id === 'string');
  return { self: typeof b.self === 'string' ? b.self : undefined, nodes };
}
