import { createColors } from 'picocolors';

/** A stream the CLI writes to: a terminal, a pipe or a test buffer. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Width in characters, when a terminal. */
  readonly columns?: number;
}

/**
 * What a command needs from its process. Only `bin/herald.ts` builds one
 * from `process`, so commands read no globals and tests can pass their own.
 */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Herald's version, for banners. */
  readonly version: string;
}

/** Exit codes: 0 done, 1 the operation failed, 2 the command line or config is wrong. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });

/** Colours for one stream: on for a terminal unless NO_COLOR is set; FORCE_COLOR forces them. */
export function colorsFor(output: Output, env: CliIo['env']) {
  const isForced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const isDisabled = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return createColors(isForced || (!isDisabled && output.isTTY === true));
}

/** Writes `herald <command>: message` in red to stderr. */
export function printError(io: CliIo, command: string, message: string): void {
  io.stderr.write(`${colorsFor(io.stderr, io.env).red(`herald ${command}: ${message}`)}\n`);
}
