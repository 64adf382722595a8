import { Command, Option } from 'commander';
import { ENV_VARIABLES, type EnvVariable } from '../config/env-variables.js';
import type { HeraldConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors/herald-error.js';
import { startHerald, type HeraldHandle } from '../herald.js';
import { createLogger, type Logger } from '../logging/create-logger.js';
import { type CliIo, colorsFor, EXIT } from './cli-io.js';

const EXAMPLES = `
Examples:
  $ herald                                  start with the defaults (same as "herald serve")
  $ herald serve --port 0                   listen on a free port; the banner says which
  $ herald serve --host 0.0.0.0 --data-dir /var/lib/herald
  $ herald serve --config ./herald.config.yaml --log-format json
  $ HERALD_STORE=sqlite::memory: herald     keep events in memory only

Settings come from, lowest to highest: defaults, HERALD_* variables, the
config file (herald.config.yaml, .yml or .json in the working directory, or
--config), then these flags.`;

/** The environment table as help text: one line per variable, server variables only. */
export function formatEnvHelp(variables: readonly EnvVariable[] = ENV_VARIABLES): string {
  const rows = variables.filter((v) => v.usedBy === 'server');
  const width = Math.max(...rows.map((v) => v.name.length)) + 2;
  const syntax = (v: EnvVariable) => (v.kind === 'boolean' ? '; true or false' : '');
  const lines = rows.map((v) => `  ${v.name.padEnd(width)}${v.meaning} (default: ${v.defaultValue}${syntax(v)})`);
  return `\nEnvironment variables:\n${lines.join('\n')}`;
}

function flagOption(variable: EnvVariable): Option {
  const flag = variable.flag as string;
  const placeholder = variable.kind === 'port' ? '<port>' : variable.key === undefined ? '<file>' : variable.kind === 'list' ? '<list>' : '<value>';
  const signature = variable.kind === 'boolean' ? flag : `${flag} ${placeholder}`;
  return new Option(signature, `${variable.meaning} (env ${variable.name}; default ${variable.defaultValue})`);
}

/** `herald serve`: load the config, start Herald, stop it on SIGINT or SIGTERM. */
export function serveCommand(io: CliIo): Command {
  const command = new Command('serve').description('start the gateway, its WebSocket endpoint and the dashboard');
  for (const variable of ENV_VARIABLES.filter((v) => v.flag)) command.addOption(flagOption(variable));
  command.addHelpText('after', `${EXAMPLES}\n${formatEnvHelp()}`);
  command.action(async (flags: Record<string, string | boolean | undefined>) => {
    process.exitCode = await runServe(flags, io);
  });
  return command;
}

/** Runs the server until a signal; resolves with the exit code. */
export async function runServe(flags: Record<string, string | boolean | undefined>, io: CliIo): Promise<number> {
  let config: HeraldConfig;
  try {
    config = loadConfig({ env: io.env, argvOverrides: flags, cwd: io.cwd, isTTY: io.stdout.isTTY === true });
  } catch (error) {
    if (error instanceof ConfigError) return printConfigError(error, io);
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat ?? 'json' });
  let handle: HeraldHandle;
  try {
    handle = await startHerald(config, { logger });
  } catch (error) {
    if (error instanceof ConfigError) return printConfigError(error, io);
    logger.debug({ err: error }, 'startup failed');
    io.stderr.write(`${colorsFor(io.stderr, io.env).red(`herald: ${describeStartupFailure(error, config)}`)}\n`);
    return EXIT.failed;
  }
  announce(handle, config, logger, io);
  await untilSignal();
  logger.info('stopping');
  await handle.stop();
  return EXIT.ok;
}

function printConfigError(error: ConfigError, io: CliIo): number {
  const c = colorsFor(io.stderr, io.env);
  const count = error.problems.length;
  io.stderr.write(`${c.red(c.bold(`herald: the configuration has ${count} problem${count === 1 ? '' : 's'}:`))}\n`);
  for (const problem of error.problems) io.stderr.write(`${c.red(`  - ${problem}`)}\n`);
  return EXIT.usage;
}

/** One line naming the cause and the fix; the stack goes to the debug log only. */
export function describeStartupFailure(error: unknown, config: Pick<HeraldConfig, 'host' | 'port' | 'dataDir'>): string {
  const { code, message } = error as { code?: string; message?: string };
  const at = `${config.host}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${config.port} on ${config.host} is already in use; stop the other process or pick another port with --port (0 picks a free one)`;
    case 'EACCES':
    case 'EPERM':
      return `not allowed: ${message ?? at}; use a port above 1023 for ${at} and check that ${config.dataDir} is writable`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${config.host}: the address is not on this machine; use --host 127.0.0.1 or --host 0.0.0.0`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${config.host}; use an IP address or a known host name with --host`;
    case 'ECONNREFUSED':
      return `a service Herald needs refused the connection (${message ?? 'ECONNREFUSED'}); check that it runs and that --store and --bus point to it`;
    default:
      return `could not start: ${message ?? String(error)} (run with --log-level debug for details)`;
  }
}

function announce(handle: HeraldHandle, config: HeraldConfig, logger: Logger, io: CliIo): void {
  const store = handle.storeDescription;
  const bus = handle.busDescription;
  if (io.stdout.isTTY !== true) {
    // A configured token is known to whoever configured it; a generated one is only findable here and in the data dir.
    const dashboardUrl = config.adminToken === undefined ? handle.dashboardUrl : `${handle.httpUrl}/`;
    logger.info({ url: handle.httpUrl, ws_url: handle.wsUrl, dashboard_url: dashboardUrl, store, bus, version: io.version }, 'herald is listening');
    return;
  }
  const c = colorsFor(io.stdout, io.env);
  const row = (label: string, value: string) => `  ${c.dim(label.padEnd(11))}${value}`;
  io.stdout.write(
    [
      '',
      `  ${c.bold(c.cyan('Herald'))} ${io.version} ${c.green('is running')}`,
      '',
      row('Dashboard', c.bold(c.underline(handle.dashboardUrl))),
      row('WebSocket', handle.wsUrl),
      row('HTTP API', `${handle.httpUrl}/api/events  ${c.dim(`(docs at ${handle.httpUrl}/docs)`)}`),
      row('Store', store),
      row('Bus', bus),
      '',
      `  ${c.dim('The dashboard link carries the admin token; share it only with admins. Stop with Ctrl-C.')}`,
      '',
      '',
    ].join('\n'),
  );
}

/** Resolves on the first SIGINT or SIGTERM; a second one while stopping exits at once. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once(signal, () => process.exit(130));
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
