import type { FastifyInstance } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { buildHeraldMcpServer, type HeraldMcpServerDeps } from '../../mcp/herald-mcp-server.js';
import { identityOf } from '../http-app.js';

/**
 * `POST /mcp`: Herald as an MCP server over streamable HTTP, stateless (a
 * server and transport per request, as the SDK's stateless example does),
 * behind the same bearer tokens and permissions as the HTTP API. GET and
 * DELETE answer 405: there are no sessions to stream to or end.
 */
export function registerMcpEndpointRoutes(app: FastifyInstance, deps: HeraldMcpServerDeps): void {
  app.post(
    '/mcp',
    {
      schema: {
        tags: ['mcp'],
        summary:
          'Herald as an MCP server (streamable HTTP, JSON-RPC body); tools publish_event, query_history, get_event, event_stats, list_event_types',
      },
    },
    async (req, reply) => {
      const server = buildHeraldMcpServer(deps, identityOf(req));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      reply.hijack();
      reply.raw.once('close', () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(req.raw, reply.raw, req.body);
      } catch (err) {
        // The reply is hijacked: Fastify's error handler cannot answer for us.
        req.log.error({ err }, 'the MCP endpoint failed');
        if (!reply.raw.headersSent) {
          reply.raw.writeHead(500, { 'content-type': 'application/json' });
          reply.raw.end(
            JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'internal error; see the server log' }, id: null }),
          );
        }
      }
    },
  );
  const notAllowed = async (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send({ jsonrpc: '2.0', error: { code: -32000, message: 'this endpoint is stateless: send JSON-RPC requests with POST' }, id: null });
  app.get('/mcp', { schema: { hide: true } }, notAllowed);
  app.delete('/mcp', { schema: { hide: true } }, notAllowed);
}
