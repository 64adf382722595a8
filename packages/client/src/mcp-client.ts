import type { McpServerSummary, McpToolInfo, McpToolResult } from '@herald/protocol';
import type { CallOptions, CallStream } from './call-stream.js';

/** The two calls the helpers need from a client. */
export interface ToolCaller {
  call<T>(tool: string, params?: Record<string, unknown>, options?: CallOptions): Promise<T>;
  stream<T>(tool: string, params?: Record<string, unknown>, options?: CallOptions): CallStream<T>;
}

/**
 * Typed helpers over the `mcp.*` tools (`client.mcp`), for the MCP servers
 * Herald watches. Each is one `call`; errors are the same
 * {@link HeraldRequestError}s (`not_found`, `unknown_tool`, `invalid_params`,
 * `upstream_unavailable`, `forbidden`).
 *
 * @example
 * ```ts
 * const servers = await client.mcp.listServers();
 * const run = client.mcp.callTool('everything', 'trigger-long-running-operation', { duration: 3, steps: 3 });
 * for await (const chunk of run) console.log(`${chunk.progress}/${chunk.total}`);
 * console.log((await run.result).content[0]);
 * ```
 */
export class McpClient {
  constructor(private readonly caller: ToolCaller) {}

  /** Every server with its status, circuit state, last check and tools (`call:mcp.list_servers`). */
  async listServers(options?: CallOptions): Promise<McpServerSummary[]> {
    return (await this.caller.call<{ servers: McpServerSummary[] }>('mcp.list_servers', {}, options)).servers;
  }

  /** The tools of one server, or of all, with their input schemas (`call:mcp.list_tools`). */
  async listTools(server?: string, options?: CallOptions): Promise<McpToolInfo[]> {
    return (await this.caller.call<{ tools: McpToolInfo[] }>('mcp.list_tools', server === undefined ? {} : { server }, options)).tools;
  }

  /**
   * Calls one tool (`call:mcp.<server>.<name>`): iterate the returned stream
   * for progress, await `.result` for the tool's answer. A tool that reports
   * an error rejects with `upstream_error`.
   */
  callTool(server: string, name: string, args: Record<string, unknown> = {}, options?: CallOptions): CallStream<McpToolResult> {
    return this.caller.stream<McpToolResult>('mcp.call', { server, name, arguments: args }, options);
  }
}
