import { ErrorCode as McpErrorCode, McpError, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { McpHealthCheck, McpServerSummary, McpStatus } from '@herald/protocol';
import type { McpServerConfig } from '../config/config-schema.js';
import { HeraldError } from '../errors/herald-error.js';
import { CircuitBreaker, type CircuitState, type CircuitTransition } from './circuit-breaker.js';
import { errorText, toCallError } from './mcp-call-error.js';
import { McpConnection, type McpCallOptions, type McpServerInfo } from './mcp-connection.js';

/** One health check's outcome, as `mcp_health_check` and `last_check` report it. */
export type HealthCheckResult = McpHealthCheck;

/** A server as the API and the `mcp.list_servers` tool show it (the protocol's shape). */
export type McpServerView = McpServerSummary;

/** Where the monitor's events go (published by Herald as `source: "mcp-monitor"`). */
export type McpEventSink = (type: string, severity: string, data: Record<string, unknown>) => void;

export interface McpServerMonitorOptions {
  config: McpServerConfig;
  publish: McpEventSink;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  now?: () => number;
}

const STATUS_SEVERITY: Record<McpStatus, string> = { active: 'success', degraded: 'warning', inactive: 'error', disabled: 'critical' };
const CIRCUIT_SEVERITY: Record<CircuitState, string> = { closed: 'success', half_open: 'warning', open: 'error' };

/**
 * Watches one MCP server and holds its session: health checks (`ping`)
 * every `healthCheckIntervalMs`, the circuit breaker they drive, auto-disable
 * after `autoDisableAfterCycles` failed cycles, restarts with backoff when
 * the session is lost, and the admin's enable/disable/reconnect. Every change
 * is reported through `publish`, in the order it happened.
 *
 * Only health checks drive the breaker: a slow or failing tool is that
 * tool's business, a server that does not answer `ping` is the server's.
 * Calls are refused (`upstream_unavailable`) while the circuit is open.
 */
export class McpServerMonitor {
  readonly name: string;
  private readonly config: McpServerConfig;
  private readonly breaker: CircuitBreaker;
  private connection: McpConnection | undefined;
  private connecting: Promise<McpConnection> | undefined;
  private currentStatus: McpStatus = 'inactive';
  private tools: McpTool[] = [];
  private lastCheck: HealthCheckResult | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartAttempt = 0;
  private isChecking = false;
  private isStopped = false;

  constructor(private readonly options: McpServerMonitorOptions) {
    this.config = options.config;
    this.name = options.config.name;
    const now = options.now ?? Date.now;
    this.breaker = new CircuitBreaker({ failureThreshold: this.config.failureThreshold, openMs: this.config.openMs, now });
  }

  get status(): McpStatus {
    return this.currentStatus;
  }

  /** Connects (a failure schedules a restart; it does not throw) and starts the health checks. */
  async start(): Promise<void> {
    await this.connectOrScheduleRestart('started');
    this.scheduleCheck();
  }

  /** Stops checks and restarts and ends the session. */
  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.checkTimer);
    clearTimeout(this.restartTimer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }

  view(): McpServerView {
    const view: McpServerView = {
      name: this.name,
      transport: this.config.url !== undefined ? 'http' : 'stdio',
      status: this.currentStatus,
      circuit_state: this.breaker.state,
      failures: this.breaker.failures,
      failure_cycles: this.breaker.failedCycles,
      tools: this.tools.map((t) => (t.description === undefined ? { name: t.name } : { name: t.name, description: t.description })),
    };
    if (this.lastCheck) view.last_check = this.lastCheck;
    const info = this.connection?.info().serverInfo;
    if (info) view.server_info = info;
    const pid = this.connection?.pid;
    if (pid !== undefined) view.pid = pid;
    return view;
  }

  /** `mcp.server_info`: the view plus what the server said at initialize. */
  info(): McpServerView & McpServerInfo {
    return { ...this.view(), ...(this.connection?.info() ?? {}) };
  }

  /** The tools with their input schemas, as the server listed them. */
  listTools(): McpTool[] {
    return this.tools;
  }

  /** One health check now (the `mcp.health_check` tool); also what the interval runs. */
  async checkNow(): Promise<HealthCheckResult | undefined> {
    if (this.isChecking || this.currentStatus === 'disabled' || this.isStopped) return this.lastCheck;
    this.isChecking = true;
    try {
      if (this.breaker.state === 'open') {
        const half = this.breaker.tryHalfOpen();
        if (!half) return this.lastCheck;
        this.publishCircuit(half);
      }
      const result = await this.probe();
      this.lastCheck = result;
      const data: Record<string, unknown> = { mcp_name: this.name, status: result.status, latency_ms: result.latency_ms };
      if (result.error !== undefined) data.error = result.error;
      this.emit('mcp_health_check', result.status === 'healthy' ? 'debug' : 'warning', data);
      if (result.status === 'healthy') this.onHealthy();
      else this.onUnhealthy(result);
      return result;
    } finally {
      this.isChecking = false;
    }
  }

  /** Admin: turn the server off; calls are refused until {@link enable}. */
  async disable(reason = 'disabled by an admin'): Promise<void> {
    if (this.currentStatus === 'disabled') return;
    clearTimeout(this.restartTimer);
    this.setStatus('disabled', reason);
    await this.dropConnection();
  }

  /** Admin: turn a disabled server back on with a fresh breaker; resolves once it connected or failed to. */
  async enable(): Promise<void> {
    if (this.currentStatus !== 'disabled') return;
    const reset = this.breaker.reset();
    if (reset) this.publishCircuit(reset);
    this.restartAttempt = 0;
    this.setStatus('inactive', 'enabled by an admin');
    await this.connectOrScheduleRestart('enabled by an admin');
  }

  /** Admin: end the session and open a new one (restarting a stdio server). */
  async reconnect(): Promise<void> {
    if (this.currentStatus === 'disabled') {
      throw new HeraldError(
        'upstream_unavailable',
        `MCP server "${this.name}" is disabled; enable it first (POST /api/mcp/servers/${this.name}/enable)`,
        { server: this.name },
      );
    }
    clearTimeout(this.restartTimer);
    await this.dropConnection();
    this.setStatus('inactive', 'reconnect asked by an admin');
    await this.connectOrScheduleRestart('reconnected by an admin');
  }

  /**
   * Calls one tool: refused while disabled, down or open; progress is
   * passed on; a tool's error result (`isError`) becomes `upstream_error`.
   */
  async callTool(tool: string, args: Record<string, unknown>, options: McpCallOptions): Promise<CallToolResult> {
    const connection = this.usableConnection();
    try {
      return await connection.callTool(tool, args, options);
    } catch (err) {
      if (options.signal.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : err;
      throw toCallError(err, this.name, tool, options.timeoutMs);
    }
  }

  /** Throws `upstream_unavailable` unless calls may go to the server now (enabled, circuit passing, connected). */
  assertAvailable(): void {
    this.usableConnection();
  }

  /** The session, or `upstream_unavailable` saying why there is none to use. */
  private usableConnection(): McpConnection {
    if (this.currentStatus === 'disabled') {
      throw new HeraldError(
        'upstream_unavailable',
        `MCP server "${this.name}" is disabled; an admin can enable it (POST /api/mcp/servers/${this.name}/enable)`,
        { server: this.name, status: 'disabled' },
      );
    }
    if (!this.breaker.isPassing) {
      const retryAt = this.breaker.retryAtMs ?? Date.now();
      throw new HeraldError(
        'upstream_unavailable',
        `MCP server "${this.name}" failed its health checks and its circuit is open; it is probed again at ${new Date(retryAt).toISOString()}`,
        {
          server: this.name,
          circuit_state: 'open',
          retry_after_ms: Math.max(0, retryAt - Date.now()),
        },
      );
    }
    if (!this.connection) {
      throw new HeraldError(
        'upstream_unavailable',
        `MCP server "${this.name}" is not connected now (${this.currentStatus}); it is being restarted`,
        { server: this.name, status: this.currentStatus },
      );
    }
    return this.connection;
  }

  private async probe(): Promise<HealthCheckResult> {
    const startedAt = Date.now();
    const done = (status: HealthCheckResult['status'], error?: string): HealthCheckResult => {
      const r: HealthCheckResult = { status, latency_ms: Date.now() - startedAt, checked_at: new Date().toISOString() };
      if (error !== undefined) r.error = error;
      return r;
    };
    let connection = this.connection;
    if (!connection) {
      try {
        connection = await this.ensureConnected();
      } catch (err) {
        return done('unhealthy', `not connected: ${errorText(err)}`);
      }
    }
    try {
      await connection.ping(this.config.healthCheckTimeoutMs);
      return done('healthy');
    } catch (err) {
      if (err instanceof McpError && err.code === McpErrorCode.RequestTimeout)
        return done('timeout', `no answer to ping within ${this.config.healthCheckTimeoutMs} ms`);
      // A JSON-RPC error reply proves the server alive.
      if (err instanceof McpError && err.code !== McpErrorCode.ConnectionClosed) return done('healthy');
      // A broken transport (an HTTP server that went away loses its session): the next probe starts afresh.
      if (this.connection === connection) await this.dropConnection();
      return done('unhealthy', errorText(err));
    }
  }

  private onHealthy(): void {
    const t = this.breaker.recordSuccess();
    if (t) this.publishCircuit(t);
    if (this.connection) this.setStatus('active', 'health check passed');
  }

  private onUnhealthy(result: HealthCheckResult): void {
    const t = this.breaker.recordFailure();
    if (!t) {
      // Degraded means connected but failing; a server already down stays inactive.
      if (this.breaker.state === 'closed' && this.currentStatus === 'active')
        this.setStatus(
          'degraded',
          `health check failed (${this.breaker.failures} of ${this.config.failureThreshold}): ${result.error ?? result.status}`,
        );
      return;
    }
    this.publishCircuit(t);
    if (this.breaker.failedCycles >= this.config.autoDisableAfterCycles) {
      this.emit('mcp_auto_disabled', 'critical', { mcp_name: this.name, failure_cycles: this.breaker.failedCycles });
      void this.disable(`auto-disabled after ${this.breaker.failedCycles} failed cycles`);
      return;
    }
    this.setStatus(
      'inactive',
      `circuit open after ${this.config.failureThreshold} failed health checks (cycle ${this.breaker.failedCycles} of ${this.config.autoDisableAfterCycles})`,
    );
  }

  private scheduleCheck(): void {
    if (this.isStopped) return;
    this.checkTimer = setTimeout(() => {
      void this.checkNow()
        .catch((err: unknown) => this.options.logger.warn({ err, mcp: this.name }, 'MCP health check failed unexpectedly'))
        .finally(() => this.scheduleCheck());
    }, this.config.healthCheckIntervalMs);
    this.checkTimer.unref();
  }

  /** One connection attempt at a time; the monitor's state follows its outcome. */
  private ensureConnected(): Promise<McpConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.connecting ??= (async () => {
      const connection = new McpConnection(this.config);
      try {
        await connection.connect(this.config.connectTimeoutMs);
        const tools = await connection.listTools(this.config.connectTimeoutMs).catch(() => [] as McpTool[]);
        if (this.isStopped || this.currentStatus === 'disabled') {
          await connection.close();
          throw new Error('the server was stopped or disabled while connecting');
        }
        this.tools = tools;
        this.connection = connection;
        this.restartAttempt = 0;
        connection.onLost = (reason) => this.onLost(connection, reason);
        return connection;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private async connectOrScheduleRestart(reason: string): Promise<void> {
    try {
      await this.ensureConnected();
      if (this.breaker.state === 'closed') this.setStatus('active', reason);
    } catch (err) {
      this.options.logger.warn({ mcp: this.name, err: errorText(err) }, 'could not connect to the MCP server');
      this.scheduleRestart();
    }
  }

  private onLost(connection: McpConnection, reason: string): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    if (this.isStopped || this.currentStatus === 'disabled') return;
    this.setStatus('inactive', reason);
    this.scheduleRestart();
  }

  /** Next restart after min(1 s or the check interval, doubled per attempt) capped at `openMs`. */
  private scheduleRestart(): void {
    if (this.isStopped || this.currentStatus === 'disabled') return;
    clearTimeout(this.restartTimer);
    const baseMs = Math.min(1000, this.config.healthCheckIntervalMs);
    const delayMs = Math.min(this.config.openMs, baseMs * 2 ** Math.min(this.restartAttempt, 16));
    this.restartAttempt += 1;
    this.restartTimer = setTimeout(() => void this.connectOrScheduleRestart(`restarted after ${this.restartAttempt} attempt(s)`), delayMs);
    this.restartTimer.unref();
  }

  private async dropConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    // A stopped process ignores stdin and SIGTERM; the SDK escalates to SIGKILL, which can take seconds: do not wait for it.
    if (connection) void connection.close();
  }

  private setStatus(status: McpStatus, reason: string): void {
    const old = this.currentStatus;
    if (old === status) return;
    this.currentStatus = status;
    this.emit('mcp_status_change', STATUS_SEVERITY[status], {
      mcp_name: this.name,
      old_status: old,
      new_status: status,
      reason,
    });
    this.options.logger.info({ mcp: this.name, old_status: old, new_status: status, reason }, 'MCP server status changed');
  }

  /** Publishes one event, unless the monitor stopped (a check that was in flight then has nothing to report). */
  private emit(type: string, severity: string, data: Record<string, unknown>): void {
    if (!this.isStopped) this.options.publish(type, severity, data);
  }

  private publishCircuit(t: CircuitTransition): void {
    this.emit('circuit_breaker_state', CIRCUIT_SEVERITY[t.state], {
      mcp_name: this.name,
      state: t.state,
      previous_state: t.previousState,
      failures: t.failures,
    });
  }
}
