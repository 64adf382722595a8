import { ENV_VARIABLES } from './env-variables.js';

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
    'The config file uses the keys of the second column (`limits: { maxPayloadBytes: 131072 }`) and also holds the event registry (`registry: [...]`, see the README).',
    '',
    '## Server',
    '',
    head,
    ...ENV_VARIABLES.filter((v) => v.usedBy === 'server').map(row),
    '',
    'WebSocket message limits depend on who is connected: people and browsers (JWT and anonymous connections) get `limits.messagesPerSecond` and `limits.messageBurst` per connection; services (API keys and the admin token) get `limits.serviceMessagesPerSecond` and `limits.serviceMessageBurst`, so a service may publish one event per message at thousands per second. Events per identity stay bounded by `limits.publishesPerSecond` for everyone, over HTTP and WebSocket alike.',
    '',
    '## `herald publish` and `herald tail`',
    '',
    head,
    ...ENV_VARIABLES.filter((v) => v.usedBy === 'client').map(row),
    '',
  ].join('\n');
}
