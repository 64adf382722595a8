import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

/** Files looked for in the working directory when no config file is named, in order. */
export const DEFAULT_CONFIG_FILES = Object.freeze(['herald.config.yaml', 'herald.config.yml', 'herald.config.json']);

/** A config file read and parsed, or the problems that stopped it. */
export type ConfigFileResult =
  | { ok: true; label: string; values: Record<string, unknown> }
  | { ok: false; problems: string[] };

/** The name a file goes by in messages: relative to `cwd` when inside it. */
export function fileLabel(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filePath;
}

/**
 * Finds the config file: the one named (by `--config` or `HERALD_CONFIG`,
 * which `origin` describes for messages), else the first of
 * DEFAULT_CONFIG_FILES in `cwd`. Undefined when none is named or present.
 */
export function locateConfigFile(
  cwd: string,
  named: { path: string; origin: string } | undefined,
): { ok: true; path: string | undefined } | { ok: false; problem: string } {
  if (named) {
    const resolved = path.resolve(cwd, named.path);
    return existsSync(resolved)
      ? { ok: true, path: resolved }
      : { ok: false, problem: `${named.origin}: file not found (looked for ${resolved}); fix the path or unset it` };
  }
  const found = DEFAULT_CONFIG_FILES.map((name) => path.join(cwd, name)).find((p) => existsSync(p));
  return { ok: true, path: found };
}

/**
 * Reads a YAML or JSON config file (JSON is read as YAML 1.2, of which it
 * is a subset, so both report syntax errors with a line and column).
 */
export function readConfigFile(filePath: string, cwd: string): ConfigFileResult {
  const label = fileLabel(filePath, cwd);
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`${label}: cannot be read (${(error as Error).message})`] };
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const at = e.linePos ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
        // prettyErrors appends " at line L, column C:" and a code excerpt; the location is already in front.
        const message = e.message.split(/ at line \d+, column \d+:/)[0]?.trim() ?? e.message;
        return `${label}${at}: cannot parse: ${message}`;
      }),
    };
  }
  const values: unknown = doc.toJS({ maxAliasCount: 100 });
  if (values === null || values === undefined) return { ok: true, label, values: {} };
  if (typeof values !== 'object' || Array.isArray(values)) {
    const got = Array.isArray(values) ? 'a list' : `a ${typeof values}`;
    return { ok: false, problems: [`${label}: must be a mapping of settings (such as "port: 8080") at the top level, not ${got}`] };
  }
  return { ok: true, label, values: values as Record<string, unknown> };
}
