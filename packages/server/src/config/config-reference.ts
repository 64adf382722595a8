import { mcpServerSchema } from './config-schema.js';
import { ENV_VARIABLES } from './env-variables.js';

/** What each key of an `mcp.servers[]` entry means; a test checks every key of the schema is here. */
export const MCP_SERVER_KEYS: Readonly<Record<string, string>> = Object.freeze({
  name: 'unique name: letters, digits, `_`, `-` (it appears in `call:mcp.<name>.<tool>`); required',
  command: 'program to start for a stdio server (give `command` or `url`)',
  args: 'its arguments',
  env: 'extra environment variables for it (added to a safe default set: PATH, HOME, …)',
  cwd: 'its working directory',
  url: 'streamable HTTP endpoint of a remote server (give `command` or `url`)',
  headers: 'headers sent with every HTTP request (an Authorization header, say)',
  healthCheckIntervalMs: 'time between health checks (`ping`), ms',
  healthCheckTimeoutMs: 'longest a health check may take before it counts as failed, ms',
  connectTimeoutMs: 'longest a start may take (spawn or HTTP session, handshake, tool list), ms',
  failureThreshold: 'failed checks in a row that open the circuit (one failed cycle)',
  openMs: 'time the circuit stays open before one probe decides, ms',
  autoDisableAfterCycles: 'failed cycles after which the server is disabled until an admin enables it',
});

const escape = (text: string) => text.replace(/\|/g, '\\|');

/**
 * The configuration reference as Markdown, from the one table the loader
 * and `herald serve --help` use; docs/configuration.md is this text, and a
 * test keeps the two equal (`npm run docs` rewrites it).
 */
export function renderConfigReference(): string {
  const row = (v: (typeof ENV_VARIABLES)[number]) =>
    `| \`${v.name}\` | ${v.key ? `\`${v.key}\`` : '—'} | ${v.flag ? `\`${v.flag}\`` : '—'} | ${v.defaultValue ? `\`${escape(v.defaultValue)}\`` : '—'} | ${escape(v.meaning)} |`;
  const head = '| variable | config file key | `herald serve` flag | default | meaning |\n| --- | --- | --- | --- | --- |';
  return [
    '# Configuration reference',
    '',
    'Herald reads, from lowest to highest precedence: built-in defaults, `HERALD_*` environment variables, the config file (`herald.config.yaml`, `.yml` or `.json` in the working directory, or the file `HERALD_CONFIG` names), and `herald serve` flags. Everything is validated once at start; one error lists every bad setting, naming where it came from, the value and what is allowed, and the server exits with status 2.',
    '',
    'The config file uses the keys of the second column (`limits: { maxPayloadBytes: 131072 }`) and also holds the event registry (`registry: [...]`, see the README), MCP servers (`mcp: { servers: [...] }`, see [mcp.md](mcp.md)), agent backends (`agents: { backends: [...] }`), routes (`routes: { sendMessage: { agent: "echo" } }`, see [agents.md](agents.md)) and outbound webhooks (`webhooks: [...]`, see [webhooks.md](webhooks.md)).',
    '',
    '## Server',
    '',
    head,
    ...ENV_VARIABLES.filter((v) => v.usedBy === 'server').map(row),
    '',
    'WebSocket message limits depend on who is connected: people and browsers (JWT and anonymous connections) get `limits.messagesPerSecond` and `limits.messageBurst` per connection; services (API keys and the admin token) get `limits.serviceMessagesPerSecond` and `limits.serviceMessageBurst`, so a service may publish one event per message at thousands per second. Events per identity stay bounded by `limits.publishesPerSecond` for everyone, over HTTP and WebSocket alike.',
    '',
    '## MCP servers (config file only)',
    '',
    'Each entry of `mcp.servers` is one MCP server Herald connects to, watches and offers as `mcp.*` tools (see docs/mcp.md). A bad or unknown key is named at start.',
    '',
    '| key | default | meaning |',
    '| --- | --- | --- |',
    ...Object.entries(MCP_SERVER_KEYS).map(([key, meaning]) => {
      const d = (mcpServerSchema.shape as Record<string, { def?: { defaultValue?: unknown } }>)[key]?.def?.defaultValue;
      return `| \`${key}\` | ${d === undefined ? '—' : `\`${escape(JSON.stringify(d))}\``} | ${escape(meaning)} |`;
    }),
    '',
    '## `herald publish` and `herald tail`',
    '',
    head,
    ...ENV_VARIABLES.filter((v) => v.usedBy === 'client').map(row),
    '',
  ].join('\n');
}
