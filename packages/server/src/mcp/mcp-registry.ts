import type { McpServerConfig } from '../config/config-schema.js';
import { HeraldError } from '../errors/herald-error.js';
import { type McpEventSink, McpServerMonitor, type McpServerMonitorOptions } from './mcp-server-monitor.js';

export interface McpRegistryOptions {
  servers: readonly McpServerConfig[];
  /** Publishes one event; the registry keeps their order. */
  publish(type: string, severity: string, data: Record<string, unknown>): Promise<unknown>;
  logger: McpServerMonitorOptions['logger'] & { error(obj: object, msg: string): void };
}

/**
 * The configured MCP servers, each with its monitor. Publishes their events
 * one after another, so subscribers see them in the order they happened.
 */
export class McpRegistry {
  private readonly monitors = new Map<string, McpServerMonitor>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: McpRegistryOptions) {
    const sink: McpEventSink = (type, severity, data) => {
      this.queue = this.queue
        .then(() => options.publish(type, severity, data))
        .catch((err: unknown) => options.logger.error({ err, type }, 'could not publish an MCP monitor event'));
    };
    for (const config of options.servers)
      this.monitors.set(config.name, new McpServerMonitor({ config, publish: sink, logger: options.logger }));
  }

  /** Connects every server at once; resolves when each connected or scheduled its restart. */
  async start(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.start()));
  }

  /** Ends every session and waits for the events already queued. */
  async stop(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.stop()));
    await this.queue;
  }

  /** Resolves once every event published so far was acknowledged (tests, shutdown). */
  flushed(): Promise<unknown> {
    return this.queue;
  }

  get names(): string[] {
    return [...this.monitors.keys()];
  }

  all(): McpServerMonitor[] {
    return [...this.monitors.values()];
  }

  /** The monitor of `name`, or `not_found` naming the servers there are. */
  get(name: unknown, path = 'server'): McpServerMonitor {
    const monitor = typeof name === 'string' ? this.monitors.get(name) : undefined;
    if (monitor) return monitor;
    const known = this.names;
    if (typeof name !== 'string') {
      throw new HeraldError(
        'invalid_params',
        `${path} must be the name of an MCP server (${known.length ? known.join(', ') : 'none is configured'})`,
        { path, servers: known },
      );
    }
    throw new HeraldError(
      'not_found',
      `no MCP server named "${name.slice(0, 64)}"; ${known.length ? `the servers are: ${known.join(', ')}` : 'none is configured (mcp.servers in the config file)'}`,
      { path, servers: known },
    );
  }
}
