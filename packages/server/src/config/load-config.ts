import path from 'node:path';
import { formatPath } from '@herald/protocol';
import type { z } from 'zod';
import { ConfigError } from '../errors/herald-error.js';
import { locateConfigFile, readConfigFile } from './config-file.js';
import { configSchema, type HeraldConfig } from './config-schema.js';
import { ENV_VARIABLES, type EnvVariable, parseSettingText } from './env-variables.js';
import { LayeredInput, type Origin } from './layered-input.js';
import { apiKeyEntryProblem, apiKeyName } from './split-api-keys.js';
import { suggestName } from './suggest-name.js';

/**
 * `herald serve` flags, keyed by the config key they set (`dataDir`,
 * `allowAnonymous`) plus `config` for the config file. Strings are parsed
 * like the matching environment variable (`port: "8080"`); other values are
 * taken as they are.
 */
export type CliOverrides = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

export interface LoadConfigOptions {
  /** Environment variables as a plain object; only the CLI passes `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Command-line flags; they win over every other source. */
  argvOverrides?: CliOverrides;
  /** Relative paths (data dir, SQLite file, config file) resolve against it. */
  cwd: string;
  /** Whether logs go to a terminal: the log format defaults to `pretty` then, else `json`. */
  isTTY?: boolean;
}

/** One value from the environment or a flag, ready to be layered. */
interface Setting {
  segments: string[];
  value: unknown;
  origin: Origin;
}

const ENV_BY_NAME = new Map(ENV_VARIABLES.map((v) => [v.name, v]));
const ENV_BY_KEY = new Map(ENV_VARIABLES.filter((v) => v.key).map((v) => [v.key as string, v]));
const SECRET_KEYS = new Set(ENV_VARIABLES.filter((v) => v.isSecret && v.key).map((v) => v.key as string));
const kebab = (key: string) => key.replace(/\./g, '-').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

function isSecretPath(segments: ReadonlyArray<PropertyKey>): boolean {
  return segments.some((_, i) => SECRET_KEYS.has(formatPath(segments.slice(0, i + 1))));
}

function showValue(value: unknown, isSecret: boolean): string {
  if (isSecret) return '(hidden)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function showText(text: string, isSecret: boolean): string {
  if (isSecret) return ' (value hidden)';
  return `="${text.length > 60 ? `${text.slice(0, 59)}…` : text}"`;
}

/** `HERALD_PORT="abc"`, `--port "abc"`, `herald.config.yaml: limits.maxPayloadBytes = -1`. */
function describeSource(origin: Origin | undefined, segments: ReadonlyArray<PropertyKey>, value: unknown): string {
  const isSecret = isSecretPath(segments);
  const where = formatPath(segments);
  switch (origin?.kind) {
    case 'env':
      return `${origin.name}${showText(origin.text, isSecret)}`;
    case 'flag':
      return `${origin.flag}${showText(origin.text, isSecret).replace(/^=/, ' ')}`;
    case 'file':
      return value === undefined ? `${origin.label}: ${where}` : `${origin.label}: ${where} = ${showValue(value, isSecret)}`;
    default:
      return value === undefined ? where : `${where} = ${showValue(value, isSecret)}`;
  }
}

/**
 * Environment variables to settings; unknown `HERALD_*` names are problems.
 * Also returns the config file `HERALD_CONFIG` names.
 */
function readEnv(env: LoadConfigOptions['env'], settings: Setting[], problems: string[]): string | undefined {
  let configPath: string | undefined;
  for (const [name, text] of Object.entries(env ?? {})) {
    if (!name.startsWith('HERALD_') || text === undefined) continue;
    const variable = ENV_BY_NAME.get(name);
    if (!variable) {
      const suggestion = suggestName(name.slice('HERALD_'.length), [...ENV_BY_NAME.keys()].map((n) => n.slice('HERALD_'.length)));
      problems.push(
        suggestion
          ? `${name}: unknown variable (did you mean HERALD_${suggestion}?)`
          : `${name}: unknown variable; remove it ("herald serve --help" lists the known ones)`,
      );
      continue;
    }
    // Deployment templates often set a variable to "" to mean "not set".
    if (text.trim() === '' || variable.usedBy === 'client') continue;
    if (name === 'HERALD_CONFIG') {
      configPath = text.trim();
      continue;
    }
    readText(variable, text, { kind: 'env', name, text }, settings, problems);
  }
  return configPath;
}

function readText(variable: EnvVariable, text: string, origin: Origin, settings: Setting[], problems: string[]): void {
  const parsed = parseSettingText(variable.kind, text);
  const segments = (variable.key as string).split('.');
  if (parsed.ok) settings.push({ segments, value: parsed.value, origin });
  else problems.push(`${describeSource(origin, segments, undefined)}: ${parsed.problem}`);
}

/** Command-line flags to settings; returns the config file they name, if any. */
function readFlags(overrides: CliOverrides, settings: Setting[], problems: string[]): string | undefined {
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined || key === 'config') continue;
    const variable = ENV_BY_KEY.get(key);
    const flag = variable?.flag ?? `--${kebab(key)}`;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (variable && typeof value === 'string') readText(variable, value, { kind: 'flag', flag, text }, settings, problems);
    else settings.push({ segments: key.split('.'), value, origin: { kind: 'flag', flag, text } });
  }
  const config = overrides.config;
  return typeof config === 'string' && config.trim() ? config.trim() : undefined;
}

interface SchemaNode {
  _zod: { def: { type: string; innerType?: SchemaNode; shape?: Record<string, SchemaNode>; element?: SchemaNode } };
}

/** The keys the schema allows at `segments`, for "did you mean" suggestions. */
function keysAt(segments: ReadonlyArray<PropertyKey>): string[] {
  let node: SchemaNode | undefined = configSchema as unknown as SchemaNode;
  for (const segment of [...segments, undefined]) {
    while (node && ['default', 'optional', 'nullable', 'prefault'].includes(node._zod.def.type)) node = node._zod.def.innerType;
    if (!node || segment === undefined) break;
    const def: SchemaNode['_zod']['def'] = node._zod.def;
    node = def.type === 'object' ? def.shape?.[String(segment)] : def.type === 'array' ? def.element : undefined;
  }
  return node?._zod.def.type === 'object' ? Object.keys(node._zod.def.shape ?? {}) : [];
}

function unknownKeyProblems(issue: z.core.$ZodIssue, input: LayeredInput): string[] {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const allowed = keysAt(issue.path);
  return keys.map((key) => {
    const segments = [...issue.path, key];
    const suggestion = suggestName(key, allowed);
    const fix = suggestion
      ? `unknown key (did you mean "${suggestion}"?)`
      : allowed.length <= 10
        ? `unknown key; expected one of ${allowed.join(', ')}`
        : 'unknown key; remove it or check its spelling';
    return `${describeSource(input.originOf(segments), segments, undefined)}: ${fix}`;
  });
}

function schemaProblems(issues: z.core.$ZodIssue[], input: LayeredInput): string[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? unknownKeyProblems(issue, input)
      : [`${describeSource(input.originOf(issue.path), issue.path, input.get(issue.path))}: ${issue.message}`],
  );
}

/** API keys are kept as strings for the auth module; their shape is checked here, where the source is known. */
function apiKeyProblems(input: LayeredInput): string[] {
  const entries = input.get(['apiKeys']);
  if (!Array.isArray(entries)) return [];
  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    const origin = input.originOf(['apiKeys', index]);
    const name = apiKeyName(entry);
    const where =
      origin?.kind === 'file'
        ? `${origin.label}: apiKeys[${index}] ("${name}")`
        : `${origin?.kind === 'env' ? origin.name : origin?.kind === 'flag' ? origin.flag : 'apiKeys'} entry ${index + 1} ("${name}")`;
    const problem = apiKeyEntryProblem(entry);
    if (problem) problems.push(`${where}: ${problem}`);
    else if (seen.has(name)) problems.push(`${where}: the name is used by an earlier entry; give each key its own name`);
    seen.add(name);
  });
  return problems;
}

/** A `sqlite:` store path relative to `cwd`, made absolute; other stores unchanged. */
function resolveStorePath(store: string | undefined, cwd: string): string | undefined {
  if (!store?.startsWith('sqlite:') || store === 'sqlite::memory:') return store;
  return `sqlite:${path.resolve(cwd, store.slice('sqlite:'.length))}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Builds Herald's configuration from, lowest to highest precedence: schema
 * defaults, `HERALD_*` environment variables, the config file (`HERALD_CONFIG`
 * or `--config`, else `herald.config.yaml|yml|json` in `cwd`), then CLI
 * flags. Everything is validated once; `dataDir` and a `sqlite:` store come
 * back absolute, `logFormat` is always set, and the result is deep-frozen.
 *
 * @throws ConfigError listing every bad field, each naming its source and the fix.
 * @example
 * const config = loadConfig({ env: process.env, argvOverrides: { port: '0' }, cwd: process.cwd(), isTTY: process.stdout.isTTY });
 */
export function loadConfig(options: LoadConfigOptions): HeraldConfig {
  const problems: string[] = [];
  const envSettings: Setting[] = [];
  const envConfigPath = readEnv(options.env, envSettings, problems);
  const flagSettings: Setting[] = [];
  const flagConfigPath = readFlags(options.argvOverrides ?? {}, flagSettings, problems);

  const input = new LayeredInput();
  for (const s of envSettings) input.set(s.segments, s.value, s.origin);
  const named = flagConfigPath
    ? { path: flagConfigPath, origin: `--config "${flagConfigPath}"` }
    : envConfigPath
      ? { path: envConfigPath, origin: `HERALD_CONFIG="${envConfigPath}"` }
      : undefined;
  const located = locateConfigFile(options.cwd, named);
  if (!located.ok) problems.push(located.problem);
  else if (located.path) {
    const file = readConfigFile(located.path, options.cwd);
    if (file.ok) input.merge(file.values, { kind: 'file', label: file.label });
    else problems.push(...file.problems);
  }
  for (const s of flagSettings) input.set(s.segments, s.value, s.origin);

  const parsed = configSchema.safeParse(input.values);
  if (!parsed.success) problems.push(...schemaProblems(parsed.error.issues, input));
  problems.push(...apiKeyProblems(input));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const config = parsed.data;
  return deepFreeze({
    ...config,
    dataDir: path.resolve(options.cwd, config.dataDir),
    store: resolveStorePath(config.store, options.cwd),
    agents: config.agents.dir === undefined ? config.agents : { ...config.agents, dir: path.resolve(options.cwd, config.agents.dir) },
    logFormat: config.logFormat ?? (options.isTTY ? 'pretty' : 'json'),
  });
}

/** The SQLite store used when `store` is unset: `sqlite:<dataDir>/herald.db`, absolute. */
export function defaultStorePath(config: Pick<HeraldConfig, 'dataDir'>): string {
  return `sqlite:${path.join(path.resolve(config.dataDir), 'herald.db')}`;
}

/** The store in force: `config.store`, else defaultStorePath(config). */
export function resolveStore(config: Pick<HeraldConfig, 'dataDir' | 'store'>): string {
  return config.store ?? defaultStorePath(config);
}
