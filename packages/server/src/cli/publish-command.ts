import { PRIORITIES, SEVERITIES } from '@herald/protocol';
import { Command, Option } from 'commander';
import { type CliIo, colorsFor, EXIT, printError } from './cli-io.js';
import { resolveServerTarget, type ServerTarget, tokenHint } from './server-target.js';

/** `herald publish` flags as commander hands them over. */
export interface PublishFlags {
  data?: string;
  source?: string;
  severity?: string;
  priority?: string;
  correlationId?: string;
  org?: string;
  id?: string;
  url?: string;
  token?: string;
  json?: boolean;
}

/** How long a publish may take before the CLI gives up, ms; the server replies once the event is durable. */
const PUBLISH_TIMEOUT_MS = 15_000;

const EXAMPLES = `
Examples:
  $ herald publish deploy.finished
  $ herald publish mcp_status_change --severity error \\
      --data '{"mcp_name":"oracle_mcp","old_status":"active","new_status":"inactive"}'
  $ herald publish agent.reply --correlation-id req-42 --data '"done"'
  $ herald publish billing.invoice.paid --url https://herald.example.com --token "$HERALD_TOKEN"

The token is --token, else HERALD_TOKEN, else, for a server on this machine,
the admin token in <HERALD_DATA_DIR or ./data>/admin-token.`;

/** `herald publish TYPE`: POST one event to /api/events and print its id and seq. */
export function publishCommand(io: CliIo): Command {
  return new Command('publish')
    .description('publish one event over HTTP and print its id and seq')
    .argument('<type>', 'event type, such as repo.commit.created or agent_request')
    .option('--data <json>', 'the event data, a JSON value (default {})')
    .option('--source <name>', 'who is publishing (default: the server decides)')
    .addOption(new Option('--severity <level>', 'severity (default info)').choices(SEVERITIES))
    .addOption(new Option('--priority <level>', 'priority (default normal)').choices(PRIORITIES))
    .option('--correlation-id <id>', 'ties the event to a request or session')
    .option('--org <org>', 'organisation the event belongs to')
    .option('--id <id>', 'your own event id; publishing it again is acknowledged but not stored twice')
    .option('--url <url>', 'server URL (env HERALD_URL; default http://127.0.0.1:8080)')
    .option('--token <token>', 'bearer token (env HERALD_TOKEN)')
    .option('--json', 'print the server reply as JSON')
    .addHelpText('after', EXAMPLES)
    .action(async (type: string, flags: PublishFlags) => {
      process.exitCode = await runPublish(type, flags, io);
    });
}

/** Builds the event body from the flags, or says which flag is wrong. */
export function buildPublishBody(type: string, flags: PublishFlags): { ok: true; body: Record<string, unknown> } | { ok: false; problem: string } {
  let data: unknown = {};
  if (flags.data !== undefined) {
    try {
      data = JSON.parse(flags.data);
    } catch (error) {
      return { ok: false, problem: `--data is not valid JSON (${(error as Error).message}); quote it for the shell: --data '{"ok":true}'` };
    }
  }
  const body: Record<string, unknown> = { type, data };
  const optional = { source: flags.source, severity: flags.severity, priority: flags.priority, correlation_id: flags.correlationId, org: flags.org, id: flags.id };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) body[key] = value;
  return { ok: true, body };
}

/** Publishes and prints the result; resolves with the exit code. */
export async function runPublish(type: string, flags: PublishFlags, io: CliIo): Promise<number> {
  const built = buildPublishBody(type, flags);
  if (!built.ok) return usage(io, built.problem);
  const resolved = resolveServerTarget(flags, io);
  if (!resolved.ok) return usage(io, resolved.problem);
  const target = resolved.target;
  let response: Response;
  try {
    response = await fetch(`${target.httpUrl}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
      body: JSON.stringify(built.body),
      signal: AbortSignal.timeout(PUBLISH_TIMEOUT_MS),
    });
  } catch (error) {
    printError(io, 'publish', describeFetchFailure(error, target));
    return EXIT.failed;
  }
  const text = await response.text();
  if (!response.ok) {
    printError(io, 'publish', describeServerError(response.status, text, target));
    return EXIT.failed;
  }
  printPublished(type, text, flags.json === true, io);
  return EXIT.ok;
}

function usage(io: CliIo, problem: string): number {
  printError(io, 'publish', problem);
  return EXIT.usage;
}

function printPublished(type: string, text: string, isJson: boolean, io: CliIo): void {
  if (isJson) {
    io.stdout.write(`${text.trim()}\n`);
    return;
  }
  const reply = parseJson(text) as { ids?: string[]; seqs?: number[]; duplicates?: string[] } | undefined;
  const id = reply?.ids?.[0] ?? '?';
  const seq = reply?.seqs?.[0] ?? '?';
  const c = colorsFor(io.stdout, io.env);
  const duplicate = reply?.duplicates?.includes(id) ? c.yellow(' (already stored; not delivered again)') : '';
  io.stdout.write(`${c.green('published')} ${c.bold(type)} id ${id} seq ${seq}${duplicate}\n`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `{error:{code,message,details}}` as one readable line. */
export function describeServerError(status: number, text: string, target: ServerTarget): string {
  const body = parseJson(text) as { error?: { code?: string; message?: string; details?: { path?: string } } } | undefined;
  const error = body?.error;
  if (!error?.message) return `the server answered HTTP ${status}: ${text.trim().slice(0, 200) || '(empty body)'}`;
  const path = error.details?.path ? ` (at ${error.details.path})` : '';
  const hint = status === 401 || status === 403 ? `; ${tokenHint(target)}` : '';
  return `the server refused the event: ${error.code ?? status}: ${error.message}${path}${hint}`;
}

function describeFetchFailure(error: unknown, target: ServerTarget): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no reply from ${target.httpUrl} within ${PUBLISH_TIMEOUT_MS / 1000} s`;
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') {
    return `cannot reach ${target.httpUrl} (connection refused); start the server with "herald serve", or point --url or HERALD_URL at it`;
  }
  return `cannot reach ${target.httpUrl}: ${err.cause?.message ?? err.message ?? String(error)}`;
}
