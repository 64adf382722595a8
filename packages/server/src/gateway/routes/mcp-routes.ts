import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAdmin } from '../../auth/identity.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { McpRegistry } from '../../mcp/mcp-registry.js';
import type { CallRunner } from '../../tools/call-runner.js';
import type { Caller } from '../../tools/tool.js';
import type { ToolRegistry } from '../../tools/tool-registry.js';
import { identityOf, sendError } from '../http-app.js';

export interface McpRoutesDeps {
  mcp: McpRegistry;
  tools: ToolRegistry;
  calls: CallRunner;
}

const nameParams = { type: 'object', properties: { name: { type: 'string', description: 'MCP server name' } }, required: ['name'] };
const serverDoc = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    transport: { type: 'string', enum: ['stdio', 'http'] },
    status: { type: 'string', enum: ['active', 'degraded', 'inactive', 'disabled'] },
    circuit_state: { type: 'string', enum: ['closed', 'open', 'half_open'] },
    failures: { type: 'integer' },
    failure_cycles: { type: 'integer' },
    last_check: {
      type: 'object',
      properties: {
        status: { type: 'string' },
        latency_ms: { type: 'integer' },
        error: { type: 'string' },
        checked_at: { type: 'string' },
      },
    },
    tools: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' } } } },
  },
};
const serversDoc = { 200: { type: 'object', properties: { servers: { type: 'array', items: serverDoc } } } };

function callerOf(req: FastifyRequest): Caller {
  const identity = identityOf(req);
  const caller: Caller = { identity, org: identity.org };
  const correlation = req.headers['x-correlation-id'];
  if (typeof correlation === 'string') caller.correlationId = correlation;
  return caller;
}

/**
 * The MCP servers over HTTP: listing, tools, calling a tool (JSON, or SSE
 * with `Accept: text/event-stream`), and the admin's enable, disable and
 * reconnect. Each goes through the same tools and CallRunner as the socket,
 * so permissions and timeouts are the same.
 */
export function registerMcpRoutes(app: FastifyInstance, deps: McpRoutesDeps): void {
  const run = async (req: FastifyRequest, reply: FastifyReply, tool: string, params: unknown) => {
    const found = deps.tools.get(tool);
    if (!found) throw new HeraldError('unknown_tool', `the tool "${tool}" is not registered`);
    const abort = new AbortController();
    // The response's close (not the request's: that fires once the body is read) means the client went away.
    reply.raw.once('close', () => abort.abort());
    return (await deps.calls.execute(callerOf(req), found, params, { signal: abort.signal })).result;
  };

  const list = async (req: FastifyRequest, reply: FastifyReply) => run(req, reply, 'mcp.list_servers', {});
  app.get(
    '/api/mcp/servers',
    {
      schema: {
        tags: ['mcp'],
        summary: 'MCP servers with status, circuit state, last health check and tools (call:mcp.list_servers)',
        response: serversDoc,
      },
    },
    list,
  );
  app.get('/api/v1/events/mcp-list', { schema: { tags: ['mcp'], summary: 'Alias of GET /api/mcp/servers', response: serversDoc } }, list);

  app.get(
    '/api/mcp/servers/:name/tools',
    { schema: { tags: ['mcp'], summary: "One server's tools with their JSON Schema inputs (call:mcp.list_tools)", params: nameParams } },
    async (req, reply) => run(req, reply, 'mcp.list_tools', { server: (req.params as { name: string }).name }),
  );

  app.post(
    '/api/mcp/servers/:name/tools/:tool',
    {
      schema: {
        tags: ['mcp'],
        summary:
          'Call a tool (call:mcp.<server>.<tool>); the body is its arguments. With Accept: text/event-stream, progress streams as chunk events, then complete or error',
        params: { type: 'object', properties: { name: { type: 'string' }, tool: { type: 'string' } }, required: ['name', 'tool'] },
        body: { type: 'object', description: "The tool's arguments, as its input schema describes them", additionalProperties: true },
      },
    },
    async (req, reply) => {
      const { name, tool } = req.params as { name: string; tool: string };
      const params = { server: name, name: tool, arguments: req.body ?? {} };
      const accept = req.headers.accept ?? '';
      if (!accept.includes('text/event-stream')) return run(req, reply, 'mcp.call', params);
      return streamCall(req, reply, deps, params);
    },
  );

  const admin = (action: 'enable' | 'disable' | 'reconnect') =>
    app.post(
      `/api/mcp/servers/:name/${action}`,
      {
        schema: {
          tags: ['mcp'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} an MCP server (admin)`,
          params: nameParams,
          response: { 200: serverDoc },
        },
      },
      async (req) => {
        const identity = identityOf(req);
        if (!isAdmin(identity))
          throw new HeraldError('forbidden', `${action} of an MCP server needs the admin permission`, { permission: 'admin' });
        const monitor = deps.mcp.get((req.params as { name: string }).name, 'name');
        await monitor[action]();
        return monitor.view();
      },
    );
  admin('enable');
  admin('disable');
  admin('reconnect');
}

/** One tool call as server-sent events: `chunk`… then `complete`, or `error`; the data is the socket frame. */
async function streamCall(req: FastifyRequest, reply: FastifyReply, deps: McpRoutesDeps, params: Record<string, unknown>): Promise<void> {
  const tool = deps.tools.get('mcp.call');
  const caller = callerOf(req);
  if (!tool) return void sendError(reply, 'unknown_tool', 'the tool "mcp.call" is not registered');
  // Refuse before the stream starts, so a missing permission is a plain 403.
  deps.calls.authorize(caller, tool, params);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': req.id,
  });
  const send = (event: string, body: Record<string, unknown>) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...body, timestamp: Date.now() })}\n\n`);
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  try {
    const outcome = await deps.calls.execute(caller, tool, params, {
      signal: abort.signal,
      onChunk: (chunk) => send('chunk', { ...chunk }),
    });
    send('complete', { content: '', result: outcome.result });
  } catch (err) {
    if (!abort.signal.aborted) {
      const e = err instanceof HeraldError ? err : new HeraldError('internal_error', 'the call failed unexpectedly; see the server log');
      const body: Record<string, unknown> = { code: e.code, message: e.message, content: e.message };
      if (e.details) body.details = e.details;
      send('error', body);
    }
  } finally {
    res.end();
  }
}
