#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import type { CliIo } from '../src/cli/cli-io.js';
import { publishCommand } from '../src/cli/publish-command.js';
import { serveCommand } from '../src/cli/serve-command.js';
import { tailCommand } from '../src/cli/tail-command.js';
import { registerTokenCommand } from '../src/cli/token-command.js';
import { VERSION } from '../src/version.js';

const io: CliIo = { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, version: VERSION };

// `herald tail | head` closes the pipe early; that is an ordinary end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('herald')
  .description('Herald: a real-time event gateway with a live dashboard')
  .version(VERSION, '-v, --version', 'print the version')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Examples:
  $ herald                                   start the server (same as "herald serve")
  $ herald publish deploy.finished --data '{"env":"prod"}'
  $ herald tail 'deploy.*' --filter severity=error,critical

Run "herald <command> --help" for a command's flags and examples.`,
  );
program.addCommand(serveCommand(io), { isDefault: true });
program.addCommand(publishCommand(io));
program.addCommand(tailCommand(io));
registerTokenCommand(program, io);
// Commander exits 1 on a bad command line; Herald keeps 1 for failures and 2 for usage.
for (const command of [program, ...program.commands]) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write(`herald: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
// Whatever a library left open (keep-alive sockets, a log transport) must not keep a finished command alive.
setTimeout(() => process.exit(), 2_000).unref();
