import type { FastifyInstance } from 'fastify';
import { isAdmin } from '../../auth/identity.js';
import type { ConnectionRegistry } from '../../connection/connection-registry.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { Hub } from '../../hub/hub.js';
import { identityOf } from '../http-app.js';
import type { WsEndpoint } from '../ws-endpoint.js';

export interface ConnectionRoutesDeps {
  registry: ConnectionRegistry;
  hub: Hub;
  ws: WsEndpoint;
}

/** Live connections and presence (admin), and closing one connection (admin). */
export function registerConnectionRoutes(app: FastifyInstance, deps: ConnectionRoutesDeps): void {
  const requireAdmin = (req: Parameters<typeof identityOf>[0]) => {
    const identity = identityOf(req);
    if (!isAdmin(identity)) throw new HeraldError('forbidden', 'the connections API needs the admin permission', { permission: 'admin' });
    return identity;
  };
  app.get(
    '/api/connections',
    { schema: { tags: ['connections'], summary: 'Live connections and presence per user and org (admin)' } },
    async (req) => {
      requireAdmin(req);
      const connections = [...deps.registry.all()]
        .filter((c) => c.isAuthenticated)
        .map((c) => deps.registry.describe(c, deps.hub.subscriptionCountOf(c)));
      return { count: connections.length, connections, presence: deps.registry.presence() };
    },
  );
  app.delete(
    '/api/connections/:id',
    { schema: { tags: ['connections'], summary: 'Close one connection with 4503 (admin)', params: { type: 'object', properties: { id: { type: 'string' } } } } },
    async (req, reply) => {
      const identity = requireAdmin(req);
      const { id } = req.params as { id: string };
      if (!deps.ws.disconnect(id, identity)) throw new HeraldError('not_found', `no connection "${id.slice(0, 40)}"; GET /api/connections lists them`, { path: 'id' });
      return reply.code(202).send({ closed: id, code: 4503 });
    },
  );
}
