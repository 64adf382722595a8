import type { HeraldConfig } from '../config/config-schema.js';
import { HeraldError } from '../errors/herald-error.js';
import type { ActionResolver } from '../tools/action-aliases.js';
import type { Tool, ToolContext } from '../tools/tool.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import { callBackend } from './http-backend.js';

type RouteConfig = HeraldConfig['routes'][string];

/** Default longest a route's handler may take, ms. */
export const DEFAULT_ROUTE_TIMEOUT_MS = 60_000;

/** A connection as `$connect`, `$disconnect` and every route backend see it. */
export interface ConnectionRecord {
  /** The welcome's `client_id`. */
  connection_id: string;
  session_id: string;
  actor_id: string;
  /** ISO 8601. */
  connected_at: string;
}

/** How a route reaches an agent; the AgentService answers it. */
export type AgentSender = (
  ctx: ToolContext,
  request: { agent: string; message: string; session_id?: string; context?: Record<string, unknown> },
) => Promise<unknown>;

export interface RouteTableDeps {
  routes: HeraldConfig['routes'];
  tools: ToolRegistry;
  sendToAgent: AgentSender;
  /** Bytes a routed message may hold when its route sets no `maxPayloadBytes` (limits.maxPayloadBytes). */
  defaultMaxPayloadBytes: number;
  /** The record of a connection, by id, for the `connection` field of backend requests. */
  recordOf(connectionId: string): ConnectionRecord | undefined;
}

/**
 * The config's `routes`, each turned into a Tool named `route.<action>`
 * (permission `call:route.<action>`; `$default` catches actions no route
 * names). The params are the whole client message, `action` included.
 */
export class RouteTable {
  private readonly tools = new Map<string, Tool>();

  constructor(private readonly deps: RouteTableDeps) {
    for (const [action, route] of Object.entries(deps.routes)) {
      if (action === '$connect' || action === '$disconnect') continue;
      this.tools.set(action, this.toolFor(action, route));
    }
  }

  /** Resolves configured actions, then `$default` for any other. */
  readonly resolve: ActionResolver = (action, message) => {
    const tool = this.tools.get(action) ?? this.tools.get('$default');
    return tool ? { tool, params: message } : undefined;
  };

  /** The routed action names, for listings. */
  get actions(): string[] {
    return Object.keys(this.deps.routes).sort();
  }

  private toolFor(action: string, route: RouteConfig): Tool {
    const maxBytes = route.maxPayloadBytes ?? this.deps.defaultMaxPayloadBytes;
    const run = (params: unknown, ctx: ToolContext): Promise<unknown> => {
      const message = params as Record<string, unknown>;
      const size = Buffer.byteLength(JSON.stringify(message));
      if (size > maxBytes) {
        throw new HeraldError(
          'payload_too_large',
          `the "${String(message.action)}" message is ${size} bytes; route "${action}" takes at most ${maxBytes} (routes.${action}.maxPayloadBytes)`,
          {
            size_bytes: size,
            max_bytes: maxBytes,
          },
        );
      }
      if (route.agent !== undefined) return this.toAgent(route.agent, message, ctx);
      if (route.tool !== undefined) return this.toMcpTool(action, route.tool, message, ctx);
      return this.toBackend(action, route, message, ctx);
    };
    return {
      name: `route.${action}`,
      description: route.agent
        ? `Route to agent "${route.agent}"`
        : route.tool
          ? `Route to MCP tool ${route.tool}`
          : `Route to an HTTP backend`,
      permissionFor: () => `route.${action}`,
      timeoutMs: route.timeoutMs ?? DEFAULT_ROUTE_TIMEOUT_MS,
      run: async (params, ctx) => run(params, ctx),
    };
  }

  /** `{"action":"sendMessage","message":"…","session_id"?,"context"?}` → agents.send. */
  private toAgent(agent: string, message: Record<string, unknown>, ctx: ToolContext): Promise<unknown> {
    const text = message.message;
    if (typeof text !== 'string' || text === '') {
      throw new HeraldError(
        'invalid_params',
        `"${String(message.action)}" sends a message to agent "${agent}": give "message" as a non-empty string`,
        { path: 'message' },
      );
    }
    const request: Parameters<AgentSender>[1] = { agent, message: text };
    if (typeof message.session_id === 'string') request.session_id = message.session_id;
    if (message.context && typeof message.context === 'object' && !Array.isArray(message.context))
      request.context = message.context as Record<string, unknown>;
    return this.deps.sendToAgent(ctx, request);
  }

  /** `{"tool":"server/tool"}` → the `mcp.call` tool with the message (without `action`) as arguments. */
  private async toMcpTool(action: string, target: string, message: Record<string, unknown>, ctx: ToolContext): Promise<unknown> {
    const mcp = this.deps.tools.get('mcp.call');
    if (!mcp) {
      throw new HeraldError(
        'upstream_unavailable',
        `route "${action}" calls the MCP tool ${target}, but this server has no MCP servers configured (the mcp.call tool is missing)`,
        {
          tool: 'mcp.call',
        },
      );
    }
    const [server, name] = target.split('/') as [string, string];
    const { action: _omit, ...args } = message;
    return mcp.run({ server, name, arguments: args }, ctx);
  }

  private async toBackend(action: string, route: RouteConfig, message: Record<string, unknown>, ctx: ToolContext): Promise<unknown> {
    const body: Record<string, unknown> = { ...message };
    const record = ctx.connectionId ? this.deps.recordOf(ctx.connectionId) : undefined;
    if (record) body.connection = record;
    const reply = await callBackend({
      label: `route "${action}"`,
      url: route.url!,
      body,
      ...(route.headers && { headers: route.headers }),
      signal: ctx.signal,
      onChunk: (chunk) => ctx.emit(chunk),
    });
    if (reply.isStreamed) return reply.result ?? { content: reply.text, chunks: reply.chunks };
    return reply.result;
  }
}
