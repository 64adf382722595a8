import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type HeraldEvent, normalizeHistoryQuery, parseDuration } from '@herald/protocol';
import type { Identity } from '../auth/identity.js';
import { HeraldError } from '../errors/herald-error.js';
import type { HistoryService } from '../history/history-service.js';
import type { Publisher } from '../hub/publisher.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { EventStore } from '../store/event-store.js';

export interface HeraldMcpServerDeps {
  publisher: Publisher;
  history: HistoryService;
  store: EventStore;
  registry: EventRegistry;
  version: string;
}

const EVENT_TYPE_URI = 'herald://event-types/';

/** A tool's answer: the value as JSON text and as structured content. */
function ok(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value as Record<string, unknown> };
}

/** Herald's request errors become tool errors the agent can read and act on. */
async function answer(run: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return ok(await run());
  } catch (err) {
    if (!(err instanceof HeraldError)) throw err;
    const details = err.details ? ` ${JSON.stringify(err.details)}` : '';
    return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}${details}` }] };
  }
}

/**
 * Herald itself as an MCP server, for one caller: agents (Claude Code, any
 * MCP client) read and write the event stream with the caller's own
 * permissions (`publish:`, `history:`), and read the event types as
 * resources. Built per request (the `/mcp` endpoint is stateless).
 */
export function buildHeraldMcpServer(deps: HeraldMcpServerDeps, identity: Identity): McpServer {
  const server = new McpServer({ name: 'herald', version: deps.version }, { capabilities: { tools: {}, resources: {} } });

  server.registerTool(
    'publish_event',
    {
      description: 'Publishes one event to Herald; answers its id and seq once it is durable. Needs publish:<type>.',
      inputSchema: {
        type: z.string().describe('Event type, dotted: deploy.finished, claude.session.started'),
        data: z.record(z.string(), z.unknown()).optional().describe('The payload'),
        source: z.string().optional(),
        severity: z.enum(['debug', 'info', 'success', 'warning', 'error', 'critical']).optional(),
        priority: z.enum(['low', 'normal', 'high', 'critical']).optional(),
        correlation_id: z.string().optional(),
      },
    },
    (args) =>
      answer(async () => {
        const event = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
        const r = await deps.publisher.publish(identity, [event], { isBatch: false, defaultSource: 'mcp' });
        return { id: r.ids[0], seq: r.seqs[0], duplicate: r.duplicates.length > 0 };
      }),
  );

  server.registerTool(
    'query_history',
    {
      description: 'Past events, newest first, with the filters of GET /api/events/history. Needs history:<type>.',
      inputSchema: {
        types: z.array(z.string()).optional().describe('Type patterns: claude.*, repo.*.created'),
        sources: z.array(z.string()).optional(),
        severity: z.array(z.string()).optional(),
        search: z.string().optional().describe('Text over type, source and data'),
        since: z.string().optional().describe('ISO time, or a seq'),
        until: z.string().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        cursor: z.string().optional().describe('next_cursor of the previous page'),
      },
    },
    (args) =>
      answer(async () => {
        const q = normalizeHistoryQuery(Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)));
        if (!q.ok) throw new HeraldError(q.error.code as 'invalid_params', q.error.message, q.error.details);
        return deps.history.query(identity, identity.org, q.value);
      }),
  );

  server.registerTool('get_event', { description: 'One event by id.', inputSchema: { id: z.string().max(128) } }, ({ id }) =>
    answer(async () => {
      const event: HeraldEvent | undefined = await deps.store.get(id);
      // The rule of GET /api/events/:id: org-less events are public; others only to their org and admins.
      const visible =
        event &&
        (event.org === undefined ||
          identity.kind === 'admin' ||
          event.org === identity.org ||
          (identity.permissions.includes('admin') && identity.org === undefined));
      if (!event || !visible) throw new HeraldError('not_found', `no event with id "${id.slice(0, 40)}"`, { path: 'id' });
      return event;
    }),
  );

  server.registerTool(
    'event_stats',
    {
      description: 'Counts per time bucket, type, severity, priority, source and category over a window.',
      inputSchema: { window: z.string().optional().describe('15m, 1h (default), 7d'), top: z.number().int().min(1).max(100).optional() },
    },
    ({ window, top }) =>
      answer(async () => {
        const windowMs = parseDuration(window ?? '1h');
        if (windowMs === undefined || windowMs <= 0)
          throw new HeraldError('invalid_params', 'window must be a duration such as 15m, 1h or 7d', { path: 'window' });
        const now = Date.now();
        const stats = {
          from: new Date(now - windowMs).toISOString(),
          to: new Date(now).toISOString(),
          bucketS: Math.max(1, Math.round(windowMs / 60_000)),
          top: top ?? 10,
        };
        return deps.store.stats(identity.kind === 'admin' || identity.org === undefined ? stats : { ...stats, org: identity.org });
      }),
  );

  server.registerTool(
    'list_event_types',
    { description: 'The event types Herald knows, by category, with their filterable fields.', inputSchema: {} },
    () => answer(async () => deps.registry.metadata()),
  );

  for (const category of deps.registry.metadata().categories) {
    for (const type of category.events) {
      server.registerResource(
        `event-type:${type.id}`,
        `${EVENT_TYPE_URI}${encodeURIComponent(type.id)}`,
        { title: type.label, description: type.description, mimeType: 'application/json' },
        (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(type) }] }),
      );
    }
  }
  return server;
}
