import { CLOSE_CODES, type Filters, type HeraldEvent, type ServerMessage, shouldReconnect } from '@herald/protocol';
import { Command } from 'commander';
import WebSocket from 'ws';
import { type CliIo, colorsFor, EXIT, printError } from './cli-io.js';
import { formatEventLine } from './format-event-line.js';
import { parseFilterFlags } from './parse-filter-flag.js';
import { resolveServerTarget, type ServerTarget, tokenHint } from './server-target.js';

/** `herald tail` flags as commander hands them over. */
export interface TailFlags {
  filter?: string[];
  since?: string;
  json?: boolean;
  url?: string;
  token?: string;
}

/** Reconnect delays: full jitter over an exponential ceiling, ms. */
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 10_000;
const SUBSCRIBE_ID = 'tail';

const EXAMPLES = `
Examples:
  $ herald tail                                   every event, live
  $ herald tail 'claude.*' 'repo.*.created'       events of these type patterns
  $ herald tail --filter severity=error,critical  errors only
  $ herald tail 'mcp.*' --filter data.mcp_name=oracle_mcp --filter 'data.latency_ms>=500'
  $ herald tail --since 1200 --json | jq .       replay from seq 1200, then live, as JSON lines

Filters (repeatable, all must hold):
  key=value           equals; key=a,b means any of a and b
  key!=value          not equal; key!=a,b means none of them
  key>=n  key>n  key<=n  key<n
                      compare (numbers, or text such as ISO times)
  key~=text           contains      key^=text   starts with
  key?                present       !key        absent
Keys are event fields (severity, source, org, correlation_id, data.<path>) or
registry filter names. In data fields 500, true, false and null are typed;
quote a value as JSON ('data.code="404"') to keep it text.

After a lost connection, tail reconnects and resumes after the last seq it
printed, so nothing is missed or printed twice.`;

/** `herald tail [PATTERNS...]`: subscribe over WebSocket and print events as they arrive. */
export function tailCommand(io: CliIo): Command {
  return new Command('tail')
    .description('print events live as they are published, one line each')
    .argument('[patterns...]', 'event type patterns such as "claude.*" (default: every type)')
    .option('--filter <condition>', 'a filter condition, see below; repeatable', (value: string, previous: string[] = []) => [...previous, value])
    .option('--since <seq>', 'first replay the events after this seq (or an ISO time), then go live')
    .option('--json', 'print each event as a JSON line')
    .option('--url <url>', 'server URL (env HERALD_URL; default http://127.0.0.1:8080)')
    .option('--token <token>', 'bearer token (env HERALD_TOKEN)')
    .addHelpText('after', EXAMPLES)
    .action(async (patterns: string[], flags: TailFlags) => {
      process.exitCode = await runTail(patterns, flags, io);
    });
}

/** Tails until Ctrl-C (exit 0) or an error a reconnect cannot fix (exit 1). */
export async function runTail(patterns: string[], flags: TailFlags, io: CliIo): Promise<number> {
  const filters = parseFilterFlags(flags.filter ?? []);
  if (!filters.ok) return usage(io, filters.problem);
  const resolved = resolveServerTarget(flags, io);
  if (!resolved.ok) return usage(io, resolved.problem);
  const since = flags.since === undefined ? undefined : /^\d+$/.test(flags.since) ? Number(flags.since) : flags.since;
  const session = new TailSession(
    { target: resolved.target, eventTypes: patterns.length > 0 ? patterns : ['*'], filters: filters.filters, since, isJson: flags.json === true },
    io,
  );
  const onSignal = () => session.stop(EXIT.ok);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await session.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function usage(io: CliIo, problem: string): number {
  printError(io, 'tail', problem);
  return EXIT.usage;
}

interface TailOptions {
  target: ServerTarget;
  eventTypes: string[];
  filters: Filters;
  since: number | string | undefined;
  isJson: boolean;
}

/**
 * One tail: a socket at a time, reopened with backoff after a close the
 * server marks as retryable, and resumed with `since` = the last seq printed
 * (or, before any event, the server's head seq at the first connect).
 */
class TailSession {
  private socket: WebSocket | undefined;
  private lastSeq: number | undefined;
  private resumeFrom: number | string | undefined;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** HTTP status of a refused upgrade, from the last attempt. */
  private refusedStatus: number | undefined;
  /** Why the last attempt failed, for the reconnect notice. */
  private lastError: string | undefined;
  /** The cause last reported, so an outage is reported once. */
  private lastNotice: string | undefined;
  private isStopped = false;
  private finish: (code: number) => void = () => undefined;

  constructor(
    private readonly options: TailOptions,
    private readonly io: CliIo,
  ) {
    this.resumeFrom = options.since;
  }

  run(): Promise<number> {
    return new Promise((resolve) => {
      this.finish = resolve;
      this.connect();
    });
  }

  stop(code: number): void {
    if (this.isStopped) return;
    this.isStopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(CLOSE_CODES.normal.code);
    this.socket?.terminate();
    this.finish(code);
  }

  private connect(): void {
    const { target } = this.options;
    const headers: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
    const socket = new WebSocket(target.wsUrl, { headers, perMessageDeflate: false });
    this.socket = socket;
    this.refusedStatus = undefined;
    socket.on('message', (raw) => this.onMessage(String(raw)));
    socket.on('error', (error) => {
      // ws reports an HTTP answer to the upgrade only in this message.
      const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
      if (status) this.refusedStatus = Number(status);
      else this.lastError = error.message;
    });
    socket.on('close', (code, reason) => this.onClose(code, String(reason)));
  }

  private onMessage(raw: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'connected':
        this.onConnected(message.seq);
        break;
      case 'subscribed':
        this.onSubscribed();
        break;
      case 'event':
        this.onEvent(message.event);
        break;
      case 'replayed':
        if (!message.recovered) this.notice(`some events were no longer stored; the replay began at seq ${message.earliest_seq ?? '?'}`);
        break;
      case 'error':
        if (message.id === SUBSCRIBE_ID) {
          printError(this.io, 'tail', `the server refused the subscription: ${message.code}: ${message.message}`);
          this.stop(EXIT.failed);
        } else this.notice(`${message.code}: ${message.message}`);
        break;
      default:
        break;
    }
  }

  private onConnected(headSeq: number): void {
    const since = this.lastSeq ?? this.resumeFrom;
    // Later reconnects resume from here when nothing has arrived yet.
    if (this.resumeFrom === undefined) this.resumeFrom = headSeq;
    const { eventTypes, filters } = this.options;
    const subscribe: Record<string, unknown> = { action: 'subscribe', id: SUBSCRIBE_ID, event_types: eventTypes };
    if (Object.keys(filters).length > 0) subscribe.filters = filters;
    if (since !== undefined) subscribe.since = since;
    this.socket?.send(JSON.stringify(subscribe));
  }

  private onSubscribed(): void {
    const wasReconnect = this.attempt > 0;
    this.attempt = 0;
    this.lastError = undefined;
    this.lastNotice = undefined;
    if (wasReconnect) this.notice(`reconnected to ${this.options.target.wsUrl}`);
    else if (this.io.stderr.isTTY) this.notice(`watching ${this.options.eventTypes.join(' ')} on ${this.options.target.wsUrl} (Ctrl-C to stop)`);
  }

  private onEvent(event: HeraldEvent): void {
    // A replay after a reconnect may overlap what was printed; seq says what is new.
    if (this.lastSeq !== undefined && event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    const { stdout } = this.io;
    if (this.options.isJson) {
      stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    const color = colorsFor(stdout, this.io.env).isColorSupported;
    stdout.write(`${formatEventLine(event, { color, columns: stdout.isTTY ? stdout.columns : undefined })}\n`);
  }

  private onClose(code: number, reason: string): void {
    this.socket = undefined;
    if (this.isStopped) return;
    const fatal = this.fatalReason(code, reason);
    if (fatal) {
      printError(this.io, 'tail', fatal);
      this.stop(EXIT.failed);
      return;
    }
    const delayMs = Math.round(Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt));
    this.attempt += 1;
    const why = this.lastError ?? (reason || `close code ${code}`);
    // During an outage every attempt fails alike; say so once, and again only when the cause changes.
    if (why !== this.lastNotice) this.notice(`connection lost (${why}); reconnecting with backoff`);
    this.lastNotice = why;
    this.retryTimer = setTimeout(() => this.connect(), delayMs);
  }

  /** Why reconnecting cannot help, or undefined when it can. */
  private fatalReason(code: number, reason: string): string | undefined {
    const { target } = this.options;
    if (this.refusedStatus === 401 || this.refusedStatus === 403 || code === CLOSE_CODES.auth_failed.code) {
      return `authentication failed${reason ? ` (${reason})` : ''}; ${tokenHint(target)}`;
    }
    if (this.refusedStatus === 404) return `${target.wsUrl} is not a Herald WebSocket endpoint (HTTP 404); check --url`;
    // 1006 (no close frame: refused, reset, network gone) is worth retrying.
    if (code === 1006 || shouldReconnect(code)) return undefined;
    return `the server closed the connection (${code}${reason ? `: ${reason}` : ''})`;
  }

  private notice(text: string): void {
    this.io.stderr.write(`${colorsFor(this.io.stderr, this.io.env).dim(`herald tail: ${text}`)}\n`);
  }
}
