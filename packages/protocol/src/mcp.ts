/**
 * The MCP gateway's shapes, as the `mcp.*` tools, the HTTP API
 * (`/api/mcp/servers`) and the monitor events carry them.
 */

/** `active`: answering; `degraded`: failing checks, circuit still closed; `inactive`: down or circuit open; `disabled`: off until an admin enables it. */
export type McpStatus = 'active' | 'degraded' | 'inactive' | 'disabled';

/** The circuit breaker of one server. */
export type McpCircuitState = 'closed' | 'open' | 'half_open';

/** One health check, as `mcp_health_check` and `last_check` report it. */
export interface McpHealthCheck {
  status: 'healthy' | 'unhealthy' | 'timeout';
  latency_ms: number;
  error?: string;
  checked_at: string;
}

/** One MCP server as `mcp.list_servers` and `GET /api/mcp/servers` show it. */
export interface McpServerSummary {
  name: string;
  transport: 'stdio' | 'http';
  status: McpStatus;
  circuit_state: McpCircuitState;
  /** Failed health checks in a row. */
  failures: number;
  /** Times the circuit opened since it last closed. */
  failure_cycles: number;
  last_check?: McpHealthCheck;
  tools: Array<{ name: string; description?: string }>;
  server_info?: { name: string; version: string; title?: string };
  /** Process id of a stdio server. */
  pid?: number;
}

/** One tool as `mcp.list_tools` lists it: the MCP tool with its server. */
export interface McpToolInfo {
  server: string;
  name: string;
  title?: string;
  description?: string;
  /** JSON Schema of the arguments. */
  inputSchema: { type: 'object'; properties?: Record<string, unknown>; required?: string[]; [key: string]: unknown };
  annotations?: Record<string, unknown>;
}

/** A tool's answer: MCP `CallToolResult`. */
export interface McpToolResult {
  content: Array<{ type: string; text?: string; data?: string; mimeType?: string; [key: string]: unknown }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}
