import { z } from 'zod';
import { isAdmin } from '../auth/identity.js';
import { AGENT_NAME_PATTERN } from '../config/config-schema.js';
import { HeraldError } from '../errors/herald-error.js';
import { parseParams } from '../tools/parse-params.js';
import type { Caller, Tool } from '../tools/tool.js';
import type { AgentService } from './agent-service.js';
import type { AgentTask } from './task-registry.js';

const name = z.string({ error: 'must be a string' }).regex(AGENT_NAME_PATTERN, 'must be 1 to 64 lower-case letters, digits, "-" or "_"');

/** The body of `PUT /api/agents/:name` and the params of `agents.create` / `agents.update` (with `name`). */
export const agentDefinitionBodySchema = z.strictObject({
  description: z.string({ error: 'must be a string' }).max(2_000, 'must be at most 2000 characters'),
  tools: z.array(z.string().min(1).max(128)).max(100, 'must list at most 100 tools').optional(),
  prompt: z.string({ error: 'must be a string' }).max(100_000, 'must be at most 100000 characters').optional(),
  backend: name.optional(),
});
const definitionParams = agentDefinitionBodySchema.extend({ name });

export const sendSchema = z.strictObject({
  agent: name,
  message: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
  session_id: z
    .string({ error: 'must be a string' })
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1 to 128 letters, digits or _ . : -')
    .optional(),
  context: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
});
const nameSchema = z.strictObject({ name });
const taskSchema = z.strictObject({ task_id: z.string({ error: 'must be a string' }).min(1).max(64) });
const listSchema = z.strictObject({});

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;

function requireAdmin(caller: Caller, tool: string): void {
  if (!isAdmin(caller.identity))
    throw new HeraldError('forbidden', `${tool} changes agent definitions and needs the admin permission`, { permission: 'admin' });
}

/** Whether a caller may see a task: admins all, others those of their own org. */
export function canSeeTask(caller: Caller, task: AgentTask): boolean {
  return isAdmin(caller.identity) || task.org === caller.org;
}

/** `agents.*`: list, read and (admins) write definitions, send messages (streaming), task status. */
export function agentTools(agents: AgentService): Tool[] {
  return [
    {
      name: 'agents.list',
      description: 'The agents: definitions and whether a backend answers each',
      inputSchema: jsonSchema(listSchema),
      run: async () => ({ agents: await agents.list() }),
    },
    {
      name: 'agents.get',
      description: 'One agent: description, tools, prompt, backend',
      inputSchema: jsonSchema(nameSchema),
      run: async (params) => agents.get(parseParams(nameSchema, params).name),
    },
    {
      name: 'agents.create',
      description: 'Writes a new agent definition file (admin)',
      inputSchema: jsonSchema(definitionParams),
      run: async (params, ctx) => {
        requireAdmin(ctx, 'agents.create');
        const { name: n, ...body } = parseParams(definitionParams, params);
        if ((await agents.list()).some((a) => a.name === n && a.has_definition)) {
          throw new HeraldError('invalid_params', `agent "${n}" already has a definition; use agents.update to change it`, {
            path: 'params.name',
          });
        }
        return (await agents.put(n, body)).agent;
      },
    },
    {
      name: 'agents.update',
      description: 'Rewrites an agent definition file (admin)',
      inputSchema: jsonSchema(definitionParams),
      run: async (params, ctx) => {
        requireAdmin(ctx, 'agents.update');
        const { name: n, ...body } = parseParams(definitionParams, params);
        if (!(await agents.list()).some((a) => a.name === n && a.has_definition)) {
          throw new HeraldError('not_found', `agent "${n}" has no definition to update; use agents.create`, { path: 'params.name' });
        }
        return (await agents.put(n, body)).agent;
      },
    },
    {
      name: 'agents.delete',
      description: 'Deletes an agent definition file (admin)',
      inputSchema: jsonSchema(nameSchema),
      run: async (params, ctx) => {
        requireAdmin(ctx, 'agents.delete');
        return agents.delete(parseParams(nameSchema, params).name);
      },
    },
    {
      name: 'agents.send',
      description: "Sends a message to an agent and streams its reply (chunks, then complete with the task's result)",
      inputSchema: jsonSchema(sendSchema),
      run: async (params, ctx) => {
        const p = parseParams(sendSchema, params);
        return agents.send(ctx, p, ctx);
      },
    },
    {
      name: 'agents.task_status',
      description: 'The status of an agent task: queued, running, completed, failed or cancelled',
      inputSchema: jsonSchema(taskSchema),
      run: async (params, ctx) => {
        const { task_id } = parseParams(taskSchema, params);
        const task = agents.task(task_id);
        if (!task || !canSeeTask(ctx, task))
          throw new HeraldError('not_found', `no task "${task_id}" (unknown, of another org, or long finished)`, {
            path: 'params.task_id',
          });
        return task;
      },
    },
  ];
}
