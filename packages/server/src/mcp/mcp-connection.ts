import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ProgressNotificationSchema,
  type CallToolResult,
  type Implementation,
  type Tool as McpTool,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../config/config-schema.js';

/** What a server told us when it connected. */
export interface McpServerInfo {
  serverInfo?: Implementation;
  protocolVersion?: string;
  capabilities?: Record<string, unknown>;
  instructions?: string;
}

export interface McpCallOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** MCP `notifications/progress` for this call. */
  onProgress?(progress: { progress: number; total?: number; message?: string }): void;
}

const CLIENT_INFO = { name: 'herald', version: '1' };

/**
 * One live session with an MCP server through the official SDK: it starts
 * the process (stdio) or opens the HTTP session, and reports when the
 * transport closes on its own (the process exited). Not reused after close:
 * the monitor makes a new one to reconnect.
 */
export class McpConnection {
  private readonly client = new Client(CLIENT_INFO, { capabilities: {} });
  private transport: Transport | undefined;
  private isClosing = false;
  /** Progress listeners by the token Herald put in the call's `_meta`. */
  private readonly progress = new Map<string, NonNullable<McpCallOptions['onProgress']>>();
  private nextProgressToken = 1;
  /** Called once when the transport closed without {@link close} (process exit, broken stream). */
  onLost: ((reason: string) => void) | undefined;

  constructor(private readonly config: McpServerConfig) {
    // Progress is routed here rather than through the SDK's `onprogress`: the SDK
    // handles notifications a microtask later than responses and drops its
    // handler with the response, so a last progress read in the same chunk as
    // the result was lost. Our listener lives until the call's await resumes,
    // which is queued after the notification's handler.
    this.client.setNotificationHandler(ProgressNotificationSchema, (n) => {
      const { progressToken, progress, total, message } = n.params;
      const update: { progress: number; total?: number; message?: string } = { progress };
      if (total !== undefined) update.total = total;
      if (message !== undefined) update.message = message;
      this.progress.get(String(progressToken))?.(update);
    });
  }

  /** Connects and runs the MCP handshake; rejects when the server cannot be started or reached in `timeoutMs`. */
  async connect(timeoutMs: number): Promise<void> {
    const transport = this.makeTransport();
    this.transport = transport;
    let stderrTail = '';
    if (transport instanceof StdioClientTransport) {
      transport.stderr?.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-400)));
    }
    this.client.onclose = () => {
      if (this.isClosing) return;
      this.isClosing = true;
      this.onLost?.(
        `the ${this.config.command ? 'process exited' : 'connection closed'}${stderrTail ? `: ${stderrTail.trim().split('\n').pop()}` : ''}`,
      );
    };
    try {
      await this.client.connect(transport, { timeout: timeoutMs });
    } catch (err) {
      this.isClosing = true;
      void transport.close().catch(() => undefined);
      throw err;
    }
  }

  /** The process id of a stdio server, for operators and fault tests. */
  get pid(): number | undefined {
    return this.transport instanceof StdioClientTransport ? (this.transport.pid ?? undefined) : undefined;
  }

  info(): McpServerInfo {
    const info: McpServerInfo = {};
    const version = this.client.getServerVersion();
    if (version) info.serverInfo = version;
    const capabilities = this.client.getServerCapabilities();
    if (capabilities) info.capabilities = capabilities as Record<string, unknown>;
    const instructions = this.client.getInstructions();
    if (instructions) info.instructions = instructions;
    if (this.transport && 'protocolVersion' in this.transport && typeof this.transport.protocolVersion === 'string')
      info.protocolVersion = this.transport.protocolVersion;
    return info;
  }

  /** MCP `ping`, bounded by `timeoutMs`. */
  async ping(timeoutMs: number): Promise<void> {
    await this.client.ping({ timeout: timeoutMs });
  }

  /** Every tool, following `nextCursor` (at most 20 pages). */
  async listTools(timeoutMs: number): Promise<McpTool[]> {
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await this.client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
      tools.push(...r.tools);
      cursor = r.nextCursor;
      if (cursor === undefined) break;
    }
    return tools;
  }

  /**
   * `tools/call`. Aborting `signal` sends `notifications/cancelled` (the SDK
   * does) and rejects.
   */
  async callTool(name: string, args: Record<string, unknown>, options: McpCallOptions): Promise<CallToolResult> {
    const token = `herald-${this.nextProgressToken++}`;
    if (options.onProgress) this.progress.set(token, options.onProgress);
    try {
      const params = options.onProgress ? { name, arguments: args, _meta: { progressToken: token } } : { name, arguments: args };
      return (await this.client.callTool(params, undefined, { signal: options.signal, timeout: options.timeoutMs })) as CallToolResult;
    } finally {
      this.progress.delete(token);
    }
  }

  /** Ends the session (stdin closed, then SIGTERM, then SIGKILL for stdio). */
  async close(): Promise<void> {
    this.isClosing = true;
    await this.client.close().catch(() => undefined);
  }

  private makeTransport(): Transport {
    const c = this.config;
    if (c.url !== undefined) {
      return new StreamableHTTPClientTransport(new URL(c.url), { requestInit: { headers: c.headers } });
    }
    return new StdioClientTransport({
      command: c.command as string,
      args: c.args,
      env: { ...getDefaultEnvironment(), ...c.env },
      ...(c.cwd !== undefined ? { cwd: c.cwd } : {}),
      stderr: 'pipe',
    });
  }
}
