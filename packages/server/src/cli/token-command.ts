import { Command } from 'commander';
import { decodeJwt } from 'jose';
import { MIN_SECRET_LENGTH, mintToken, type MintTokenOptions } from '../auth/mint-token.js';
import { type CliIo, colorsFor, EXIT, printError } from './cli-io.js';

/** `herald token` flags as commander hands them over. */
export interface TokenFlags {
  sub?: string;
  org?: string;
  orgs?: string;
  permission?: string[];
  ttl: string;
  secret?: string;
  issuer?: string;
  audience?: string;
}

/** Lifetime of a minted token when `--ttl` is not given. */
export const DEFAULT_TOKEN_TTL = '1h';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

const EXAMPLES = `
Examples:
  $ herald token --sub ada --permission 'subscribe:claude.*' --permission 'publish:test'
  $ herald token --sub ada --org acme --orgs acme,beta --permission 'subscribe:*' --ttl 8h
  $ herald token --sub ci --permission 'publish:deploy.*' --ttl 30d --issuer https://id.example.com
  $ herald tail 'claude.*' --token "$(herald token --sub ada --permission 'subscribe:claude.*')"

Permissions: subscribe:<pattern>, publish:<pattern>, history:<pattern>,
call:<tool pattern>, admin. Repeat --permission for each.

The token is signed with HS256 using --secret, else HERALD_JWT_SECRET: the
same secret the server verifies with (32+ characters). Prefer the variable,
since a --secret value stays in your shell history. --issuer and --audience
default to HERALD_JWT_ISSUER and HERALD_JWT_AUDIENCE, which the server checks.
The token goes to stdout; on a terminal its claims and expiry go to stderr.
These tokens are for development; in production an identity provider issues them.`;

/**
 * Adds `herald token`, which mints a signed development JWT and prints it.
 *
 * @example
 * registerTokenCommand(program, io); // herald token --sub ada --permission 'subscribe:*'
 */
export function registerTokenCommand(program: Command, io: CliIo): Command {
  const command = new Command('token')
    .description('mint a signed JWT (HS256) for development and print it')
    .requiredOption('--sub <name>', 'the user id (sub claim)')
    .option('--org <org>', 'the current org (org claim; also added to orgs)')
    .option('--orgs <list>', 'orgs the user may switch to, comma separated (orgs claim)')
    .option('--permission <permission>', 'a permission such as subscribe:claude.*; repeatable', (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option('--ttl <duration>', 'lifetime: seconds, or a number with s, m, h or d', DEFAULT_TOKEN_TTL)
    .option('--secret <secret>', 'HS256 secret (env HERALD_JWT_SECRET)')
    .option('--issuer <iss>', 'iss claim (env HERALD_JWT_ISSUER)')
    .option('--audience <aud>', 'aud claim (env HERALD_JWT_AUDIENCE)')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: TokenFlags) => {
      process.exitCode = await runToken(flags, io);
    });
  program.addCommand(command);
  return command;
}

/** Parses `90`, `90s`, `15m`, `1h` or `7d` into seconds; undefined when it is none of these or not positive. */
export function parseTtl(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : undefined;
}

/** Turns the flags and environment into mint options, or says which one is wrong. */
export function buildMintOptions(flags: TokenFlags, env: CliIo['env']): { ok: true; options: MintTokenOptions } | { ok: false; problem: string } {
  const secret = flags.secret ?? env.HERALD_JWT_SECRET;
  if (secret === undefined || secret === '') return { ok: false, problem: 'no secret: pass --secret or set HERALD_JWT_SECRET to the secret the server verifies with' };
  if (secret.length < MIN_SECRET_LENGTH) {
    return { ok: false, problem: `the secret is ${secret.length} characters; HS256 needs at least ${MIN_SECRET_LENGTH} (try: openssl rand -base64 32)` };
  }
  if (!flags.sub?.trim()) return { ok: false, problem: '--sub must name the user, such as --sub ada' };
  const ttlS = parseTtl(flags.ttl);
  if (ttlS === undefined) return { ok: false, problem: `--ttl "${flags.ttl}" is not a duration; use seconds or a number with s, m, h or d, such as 15m or 8h` };
  const options: MintTokenOptions = { secret, sub: flags.sub, permissions: flags.permission ?? [], ttlS };
  const orgs = flags.orgs?.split(',').map((o) => o.trim()).filter(Boolean);
  if (flags.org) options.org = flags.org;
  if (orgs && orgs.length > 0) options.orgs = orgs;
  const issuer = flags.issuer ?? env.HERALD_JWT_ISSUER;
  const audience = flags.audience ?? env.HERALD_JWT_AUDIENCE;
  if (issuer) options.issuer = issuer;
  if (audience) options.audience = audience;
  return { ok: true, options };
}

/** Mints and prints the token; resolves with the exit code. */
export async function runToken(flags: TokenFlags, io: CliIo): Promise<number> {
  const built = buildMintOptions(flags, io.env);
  if (!built.ok) {
    printError(io, 'token', built.problem);
    return EXIT.usage;
  }
  const token = await mintToken(built.options);
  io.stdout.write(`${token}\n`);
  const c = colorsFor(io.stderr, io.env);
  if (built.options.permissions.length === 0) {
    io.stderr.write(`${c.yellow("warning: the token grants no permissions; add --permission 'subscribe:*' or others")}\n`);
  }
  if (io.stderr.isTTY === true) {
    const claims = decodeJwt(token);
    const expires = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'never';
    io.stderr.write(`${c.dim(`claims: ${JSON.stringify(claims)}`)}\n${c.dim(`expires: ${expires}`)}\n`);
  }
  return EXIT.ok;
}
