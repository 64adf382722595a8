/** What `npm run bench -- …` asked for. */
export interface BenchArgs {
  isQuick: boolean;
  isHelp: boolean;
  /** Scenario ids to run (upper case); undefined runs all of the mode's. */
  only?: string[];
  /** Target ids to run; undefined runs all. */
  targets?: string[];
  /** Repetitions per case, overriding the mode's default. */
  reps?: number;
}

/** The names the arguments may use. */
export interface KnownNames {
  scenarios: readonly string[];
  targets: readonly string[];
}

export const USAGE = `Usage: npm run bench -- [--quick] [--only S1,S3] [--targets herald,ws-once] [--reps N]

  --quick      shorter windows and fewer, smaller scenarios (under 2 minutes)
  --only       scenarios to run: S1 … S9
  --targets    servers to run: herald, ws-once, ws-send, socket.io, nats
  --reps       interleaved repetitions of each case (default 1 quick, 2 full)
  --help       this text`;

type Parsed = { ok: true; args: BenchArgs } | { ok: false; error: string };

function list(value: string, known: readonly string[], what: string, normalise: (s: string) => string): string[] | string {
  const items = value
    .split(',')
    .map((s) => normalise(s.trim()))
    .filter((s) => s.length > 0);
  const unknown = items.filter((s) => !known.includes(s));
  if (items.length === 0) return `${what} needs a comma-separated list`;
  if (unknown.length > 0) return `unknown ${what} ${unknown.join(', ')} (known: ${known.join(', ')})`;
  return items;
}

/** Parses the command line (after `--`); never throws. */
export function parseArgs(argv: string[], known: KnownNames): Parsed {
  const args: BenchArgs = { isQuick: false, isHelp: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const eq = raw.indexOf('=');
    const flag = eq >= 0 ? raw.slice(0, eq) : raw;
    const takeValue = (): string | undefined => (eq >= 0 ? raw.slice(eq + 1) : argv[++i]);
    if (flag === '--quick') args.isQuick = true;
    else if (flag === '--help' || flag === '-h') args.isHelp = true;
    else if (flag === '--only' || flag === '--targets') {
      const value = takeValue();
      if (value === undefined) return { ok: false, error: `${flag} needs a value` };
      const items =
        flag === '--only'
          ? list(value, known.scenarios, 'scenario', (s) => s.toUpperCase())
          : list(value, known.targets, 'target', (s) => s.toLowerCase());
      if (typeof items === 'string') return { ok: false, error: items };
      if (flag === '--only') args.only = items;
      else args.targets = items;
    } else if (flag === '--reps') {
      const reps = Number(takeValue());
      if (!Number.isInteger(reps) || reps < 1 || reps > 10) return { ok: false, error: '--reps needs a whole number from 1 to 10' };
      args.reps = reps;
    } else return { ok: false, error: `unknown argument ${raw}` };
  }
  return { ok: true, args };
}
