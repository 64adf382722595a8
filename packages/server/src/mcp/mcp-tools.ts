import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { HeraldError } from '../errors/herald-error.js';
import type { Tool, ToolContext } from '../tools/tool.js';
import type { McpRegistry } from './mcp-registry.js';
import type { McpServerMonitor } from './mcp-server-monitor.js';

export interface McpToolsOptions {
  registry: McpRegistry;
  /** Largest `arguments` of one `mcp.call`, bytes of JSON. */
  maxArgumentsBytes: number;
  /** The SDK's own bound on one call, ms (the runner's `limits.callTimeoutMs`). */
  callTimeoutMs: number;
  /** Publishes `mcp.tool.called` after each call. */
  publishCalled(data: Record<string, unknown>, org: string | undefined): void;
}

/** `mcp.call`'s params: the shape routes use too (`server/tool` routes call it with these). */
export interface McpCallParams {
  server: string;
  name: string;
  arguments: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads `mcp.call`'s params or throws `invalid_params` naming the field. */
export function parseCallParams(params: unknown): McpCallParams {
  if (!isRecord(params)) throw new HeraldError('invalid_params', 'params must be an object {server, name, arguments}', { path: 'params' });
  const { server, name } = params;
  if (typeof server !== 'string' || server === '')
    throw new HeraldError('invalid_params', 'params.server must be the name of an MCP server', { path: 'params.server' });
  if (typeof name !== 'string' || name === '')
    throw new HeraldError('invalid_params', 'params.name must be the name of a tool of that server', { path: 'params.name' });
  const args = params.arguments ?? {};
  if (!isRecord(args))
    throw new HeraldError('invalid_params', "params.arguments must be an object of the tool's arguments", { path: 'params.arguments' });
  return { server, name, arguments: args };
}

const serverParam = {
  type: 'object',
  properties: { server: { type: 'string', description: 'MCP server name' } },
  additionalProperties: false,
};

/**
 * The `mcp.*` tools of the `call` action. Permissions: `call:mcp.<server>.<tool>`
 * for `mcp.call`; `call:mcp.list_servers`, `call:mcp.list_tools`,
 * `call:mcp.server_info` and `call:mcp.health_check` for the others, so
 * `call:mcp.*` grants them all.
 */
export function mcpTools(options: McpToolsOptions): Tool[] {
  const { registry } = options;
  const validator = new AjvJsonSchemaValidator();
  const compiled = new WeakMap<McpTool, JsonSchemaValidator<unknown>>();
  const validate = (tool: McpTool, args: unknown) => {
    let check = compiled.get(tool);
    if (!check) {
      check = validator.getValidator(tool.inputSchema as JsonSchemaType);
      compiled.set(tool, check);
    }
    return check(args);
  };

  const call: Tool = {
    name: 'mcp.call',
    description: 'Calls a tool of an MCP server; progress notifications arrive as chunks',
    inputSchema: {
      type: 'object',
      required: ['server', 'name'],
      properties: { server: { type: 'string' }, name: { type: 'string', description: 'Tool name' }, arguments: { type: 'object' } },
    },
    permissionFor(params) {
      return isRecord(params) && typeof params.server === 'string' && typeof params.name === 'string'
        ? `mcp.${params.server}.${params.name}`
        : 'mcp.call';
    },
    async run(raw, ctx) {
      const p = parseCallParams(raw);
      const size = Buffer.byteLength(JSON.stringify(p.arguments));
      if (size > options.maxArgumentsBytes) {
        throw new HeraldError(
          'payload_too_large',
          `params.arguments is ${size} bytes of JSON; an MCP call takes at most ${options.maxArgumentsBytes} (mcp.maxArgumentsBytes)`,
          {
            path: 'params.arguments',
            size_bytes: size,
            max_bytes: options.maxArgumentsBytes,
          },
        );
      }
      const monitor = registry.get(p.server, 'params.server');
      // Down before unknown: a server that never connected has listed no tools yet.
      monitor.assertAvailable();
      const tool = monitor.listTools().find((t) => t.name === p.name);
      if (!tool) {
        const names = monitor.listTools().map((t) => t.name);
        throw new HeraldError(
          'unknown_tool',
          `MCP server "${p.server}" has no tool "${p.name.slice(0, 64)}"; its tools are: ${names.join(', ') || '(none listed yet)'}`,
          {
            path: 'params.name',
            server: p.server,
            tools: names,
          },
        );
      }
      const checked = validate(tool, p.arguments);
      if (!checked.valid) {
        throw new HeraldError(
          'invalid_params',
          `the arguments do not fit the input schema of "${p.server}/${p.name}": ${checked.errorMessage}`,
          {
            path: 'params.arguments',
            server: p.server,
            tool: p.name,
          },
        );
      }
      return runCall(p, ctx);
    },
  };

  const runCall = async (p: McpCallParams, ctx: ToolContext) => {
    const startedAt = Date.now();
    let outcome = 'ok';
    let errorCode: string | undefined;
    try {
      const result = await registry.get(p.server).callTool(p.name, p.arguments, {
        signal: ctx.signal,
        timeoutMs: options.callTimeoutMs,
        onProgress: ({ progress, total, message }) => {
          const chunk: { content: unknown; progress: number; total?: number } = {
            content: message ?? (total !== undefined ? `${progress}/${total}` : String(progress)),
            progress,
          };
          if (total !== undefined) chunk.total = total;
          ctx.emit(chunk);
        },
      });
      if (result.isError === true) {
        const text = result.content?.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join(' ') ?? '';
        throw new HeraldError('upstream_error', `"${p.server}/${p.name}" reported an error: ${text.slice(0, 500)}`, {
          server: p.server,
          tool: p.name,
          result,
        });
      }
      return result;
    } catch (err) {
      const reason: unknown = ctx.signal.reason;
      outcome = ctx.signal.aborted
        ? reason instanceof HeraldError && reason.code === 'call_timeout'
          ? 'timeout'
          : 'cancelled'
        : err instanceof HeraldError && err.code === 'call_timeout'
          ? 'timeout'
          : 'error';
      errorCode = err instanceof HeraldError ? err.code : 'internal_error';
      throw err;
    } finally {
      const data: Record<string, unknown> = {
        server: p.server,
        tool: p.name,
        user: ctx.identity.id,
        duration_ms: Date.now() - startedAt,
        outcome,
      };
      if (errorCode !== undefined && outcome === 'error') data.error_code = errorCode;
      options.publishCalled(data, ctx.org);
    }
  };

  return [
    call,
    {
      name: 'mcp.list_servers',
      description: 'The MCP servers with their status, circuit state, last health check and tools',
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      async run() {
        return { servers: registry.all().map((m) => m.view()) };
      },
    },
    {
      name: 'mcp.list_tools',
      description: 'The tools of one MCP server, or of all, with their input schemas',
      inputSchema: serverParam,
      async run(params) {
        const monitors = monitorsNamedBy(registry, params);
        return { tools: monitors.flatMap((m) => m.listTools().map((t) => ({ server: m.name, ...t }))) };
      },
    },
    {
      name: 'mcp.server_info',
      description: 'What an MCP server said at initialize (name, version, capabilities) and its state',
      inputSchema: { ...serverParam, required: ['server'] },
      async run(params) {
        return registry.get(isRecord(params) ? params.server : undefined, 'params.server').info();
      },
    },
    {
      name: 'mcp.health_check',
      description: "Checks one MCP server, or all, now; answers each one's result and status",
      inputSchema: serverParam,
      async run(params) {
        const monitors = monitorsNamedBy(registry, params);
        const results = await Promise.all(
          monitors.map(async (m) => ({
            mcp_name: m.name,
            ...(await m.checkNow()),
            server_status: m.status,
            circuit_state: m.view().circuit_state,
          })),
        );
        return { servers: results };
      },
    },
  ];
}

/** The server `params.server` names (not_found when unknown), or every server when it names none. */
function monitorsNamedBy(registry: McpRegistry, params: unknown): McpServerMonitor[] {
  const server = isRecord(params) ? params.server : undefined;
  return server === undefined ? registry.all() : [registry.get(server, 'params.server')];
}
