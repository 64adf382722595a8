import type { FastifyInstance } from 'fastify';
import type { Identity } from '../../auth/identity.js';
import { isAdmin } from '../../auth/identity.js';
import type { Cluster } from '../../cluster/cluster.js';
import { type ConnectionDescription, type ConnectionRegistry, presenceOf } from '../../connection/connection-registry.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { Hub } from '../../hub/hub.js';
import { identityOf } from '../http-app.js';
import type { WsEndpoint } from '../ws-endpoint.js';

export interface ConnectionRoutesDeps {
  registry: ConnectionRegistry;
  hub: Hub;
  ws: WsEndpoint;
  cluster: Cluster;
}

/** A connection as listed across the cluster: with the node it lives on. */
type NodeConnection = ConnectionDescription & { node_id: string };

/**
 * Live connections and presence of every node (admin), closing one
 * connection wherever it lives (admin), and the live nodes (admin).
 */
export function registerConnectionRoutes(app: FastifyInstance, deps: ConnectionRoutesDeps): void {
  const { cluster } = deps;
  const localConnections = (): ConnectionDescription[] =>
    [...deps.registry.all()].filter((c) => c.isAuthenticated).map((c) => deps.registry.describe(c, deps.hub.subscriptionCountOf(c)));
  cluster.handle('connections', async () => localConnections());
  cluster.handle('close', async (payload) => {
    const { id, by } = payload as { id: string; by: Identity };
    return deps.ws.disconnect(id, by);
  });

  const requireAdmin = (req: Parameters<typeof identityOf>[0], what: string) => {
    const identity = identityOf(req);
    if (!isAdmin(identity)) throw new HeraldError('forbidden', `the ${what} API needs the admin permission`, { permission: 'admin' });
    return identity;
  };
  app.get(
    '/api/connections',
    { schema: { tags: ['connections'], summary: 'Live connections of every node, and presence per user and org across them (admin)' } },
    async (req) => {
      requireAdmin(req, 'connections');
      const answers = await cluster.ask<ConnectionDescription[]>('connections', {});
      const connections: NodeConnection[] = answers.flatMap(({ node_id, answer }) => answer.map((c) => ({ ...c, node_id })));
      const nodes = answers
        .map(({ node_id, answer }) => ({ node_id, connections: answer.length }))
        .sort((a, b) => a.node_id.localeCompare(b.node_id));
      return { count: connections.length, connections, presence: presenceOf(connections), nodes };
    },
  );
  app.delete(
    '/api/connections/:id',
    {
      schema: {
        tags: ['connections'],
        summary: 'Close one connection with 4503, on whichever node holds it (admin)',
        params: { type: 'object', properties: { id: { type: 'string' } } },
      },
    },
    async (req, reply) => {
      const identity = requireAdmin(req, 'connections');
      const { id } = req.params as { id: string };
      // Here first; otherwise the node that holds it closes it.
      const isClosed =
        deps.ws.disconnect(id, identity) ||
        (await cluster.ask<boolean>('close', { id, by: identity })).some(({ answer }) => answer === true);
      if (!isClosed)
        throw new HeraldError('not_found', `no connection "${id.slice(0, 40)}" on any node; GET /api/connections lists them`, {
          path: 'id',
        });
      return reply.code(202).send({ closed: id, code: 4503 });
    },
  );
  app.get(
    '/api/nodes',
    { schema: { tags: ['connections'], summary: 'The live nodes of the deployment, with their connections and delivered seq (admin)' } },
    async (req) => {
      requireAdmin(req, 'nodes');
      const nodes = await cluster.nodes();
      return { count: nodes.length, self: cluster.nodeId, nodes };
    },
  );
}
