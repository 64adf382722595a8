import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAdmin } from '../../auth/identity.js';
import type { AgentService } from '../../agents/agent-service.js';
import { agentDefinitionBodySchema, sendSchema } from '../../agents/agent-tools.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { CallRunner } from '../../tools/call-runner.js';
import { parseParams } from '../../tools/parse-params.js';
import type { ToolRegistry } from '../../tools/tool-registry.js';
import { httpCaller, runToolOverHttp, signalOfReply } from './http-caller.js';

export interface AgentRoutesDeps {
  calls: CallRunner;
  tools: ToolRegistry;
  agents: AgentService;
}

const nameParam = { type: 'object', properties: { name: { type: 'string' } } };
const docOf = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
const messageBody = sendSchema.omit({ agent: true });

/**
 * Agents over HTTP: listing and reading (`call:agents.list` / `agents.get`),
 * admin CRUD of the definition files, messages streamed as server-sent
 * events, and task status.
 */
export function registerAgentRoutes(app: FastifyInstance, deps: AgentRoutesDeps): void {
  const run = (req: FastifyRequest, reply: FastifyReply, tool: string, params: unknown) =>
    runToolOverHttp(deps.calls, deps.tools, req, reply, tool, params);
  const requireAdmin = (req: FastifyRequest) => {
    if (!isAdmin(httpCaller(req).identity))
      throw new HeraldError('forbidden', 'changing agent definitions needs the admin permission', { permission: 'admin' });
  };

  app.get(
    '/api/agents',
    { schema: { tags: ['agents'], summary: 'The agents: definitions and whether a backend answers each' } },
    async (req, reply) => run(req, reply, 'agents.list', {}),
  );
  app.get('/api/agents/:name', { schema: { tags: ['agents'], summary: 'One agent', params: nameParam } }, async (req, reply) =>
    run(req, reply, 'agents.get', req.params),
  );
  app.put(
    '/api/agents/:name',
    {
      schema: {
        tags: ['agents'],
        summary: 'Writes the agent definition file (admin); 201 when it is new',
        params: nameParam,
        body: docOf(agentDefinitionBodySchema),
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      const { name } = parseParams(z.strictObject({ name: sendSchema.shape.agent }), req.params, 'name');
      const body = parseParams(agentDefinitionBodySchema, req.body, 'body');
      const { agent, created } = await deps.agents.put(name, body);
      return reply.code(created ? 201 : 200).send(agent);
    },
  );
  app.delete(
    '/api/agents/:name',
    { schema: { tags: ['agents'], summary: 'Deletes the agent definition file (admin)', params: nameParam } },
    async (req, reply) => {
      requireAdmin(req);
      return run(req, reply, 'agents.delete', req.params);
    },
  );
  app.post(
    '/api/agents/:name/messages',
    {
      schema: {
        tags: ['agents'],
        summary:
          'Sends a message; the reply streams as server-sent events (task, chunk…, complete or error), or one JSON body with Accept: application/json',
        params: nameParam,
        body: docOf(messageBody),
      },
    },
    async (req, reply) => sendMessage(req, reply, deps),
  );
  app.get('/api/tasks', { schema: { tags: ['agents'], summary: 'Recent agent tasks of your org, newest first' } }, async (req) => {
    const caller = httpCaller(req);
    const limit = Math.min(200, Math.max(1, Number((req.query as { limit?: string }).limit ?? 50) || 50));
    return { tasks: deps.agents.tasks(caller, limit) };
  });
  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'One agent task: status queued, running, completed, failed or cancelled',
        params: { type: 'object', properties: { id: { type: 'string' } } },
      },
    },
    async (req, reply) => run(req, reply, 'agents.task_status', { task_id: (req.params as { id: string }).id }),
  );
}

async function sendMessage(req: FastifyRequest, reply: FastifyReply, deps: AgentRoutesDeps): Promise<unknown> {
  const tool = deps.tools.get('agents.send')!;
  const params = { ...(req.body as Record<string, unknown>), agent: (req.params as { name: string }).name };
  const caller = httpCaller(req);
  const signal = signalOfReply(reply);
  if (!String(req.headers.accept ?? '').includes('text/event-stream') && String(req.headers.accept ?? '').includes('application/json')) {
    return (await deps.calls.execute(caller, tool, params, { signal })).result;
  }
  // Checked before the stream opens, so a refusal is a plain HTTP error.
  deps.calls.authorize(caller, tool, params);
  parseParams(sendSchema, params);
  await deps.agents.get(String(params.agent));
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': String(req.id),
  });
  const send = (event: string, data: unknown) => {
    if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let taskId: string | undefined;
  try {
    const outcome = await deps.calls.execute(caller, tool, params, {
      signal,
      onFrameField: (name, value) => {
        if (name !== 'task_id') return;
        taskId = value;
        send('task', { task_id: value });
      },
      onChunk: (chunk) => send('chunk', { ...chunk, task_id: taskId, timestamp: Date.now() }),
    });
    send('complete', { content: '', result: outcome.result, task_id: taskId, timestamp: Date.now() });
  } catch (err) {
    const e = err instanceof HeraldError ? err : new HeraldError('internal_error', 'unexpected server error');
    send('error', { code: e.code, message: e.message, content: e.message, details: e.details, task_id: taskId, timestamp: Date.now() });
  } finally {
    res.end();
  }
  return reply;
}
