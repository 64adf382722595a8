import { parse, stringify } from 'yaml';
import { AGENT_NAME_PATTERN } from '../config/config-schema.js';

/**
 * An agent described in markdown with YAML front matter, as `.claude/agents/`
 * holds them:
 *
 * ```md
 * ---
 * name: echo
 * description: Repeats what it is told
 * tools: Read, Grep
 * backend: echo
 * ---
 * The system prompt.
 * ```
 */
export interface AgentDefinition {
  name: string;
  description: string;
  /** Tool names it may use (front matter `tools`, a list or a comma-separated string). */
  tools: string[];
  /** The agent backend that answers it; default the backend with the agent's own name. */
  backend?: string;
  /** The markdown after the front matter (the system prompt), trimmed. */
  prompt: string;
}

/** Why a file is not a usable definition; the folder skips it and says so. */
export class InvalidDefinitionError extends Error {}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Reads one definition; `fileName` is for messages. */
export function parseAgentMarkdown(text: string, fileName: string): AgentDefinition {
  const m = FRONT_MATTER.exec(text);
  if (!m)
    throw new InvalidDefinitionError(`${fileName}: no front matter (the file must start with a --- block holding name and description)`);
  let meta: unknown;
  try {
    meta = parse(m[1]!);
  } catch (err) {
    // Hand-written definitions often hold unquoted colons (`description: Use it when: …`), which YAML
    // rejects and other readers of these files accept: read such blocks one `key: value` line at a time.
    meta = plainLines(m[1]!);
    if (meta === undefined)
      throw new InvalidDefinitionError(`${fileName}: the front matter is not YAML (${(err as Error).message.split('\n')[0]})`);
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta))
    throw new InvalidDefinitionError(`${fileName}: the front matter must be a mapping of name, description, tools`);
  const o = meta as Record<string, unknown>;
  if (typeof o.name !== 'string' || !AGENT_NAME_PATTERN.test(o.name)) {
    throw new InvalidDefinitionError(`${fileName}: name must be 1 to 64 lower-case letters, digits, "-" or "_"`);
  }
  if (o.backend !== undefined && (typeof o.backend !== 'string' || !AGENT_NAME_PATTERN.test(o.backend))) {
    throw new InvalidDefinitionError(`${fileName}: backend must name an agent backend of the config`);
  }
  const def: AgentDefinition = {
    name: o.name,
    description: typeof o.description === 'string' ? o.description : '',
    tools: toolsOf(o.tools),
    prompt: text.slice(m[0].length).trim(),
  };
  if (typeof o.backend === 'string') def.backend = o.backend;
  return def;
}

/** `key: value` lines (value = the rest of the line), or undefined when a line is not of that form. */
function plainLines(block: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_-]*):[ \t]*(.*)$/.exec(line);
    if (!m) return undefined;
    out[m[1]!] = m[2]!.trim();
  }
  return out;
}

function toolsOf(value: unknown): string[] {
  if (Array.isArray(value))
    return value
      .filter((t): t is string => typeof t === 'string')
      .map((t) => t.trim())
      .filter(Boolean);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  return [];
}

/** Writes a definition back as markdown; `parseAgentMarkdown` reads it unchanged. */
export function renderAgentMarkdown(def: AgentDefinition): string {
  const meta: Record<string, unknown> = { name: def.name, description: def.description };
  if (def.tools.length > 0) meta.tools = def.tools.join(', ');
  if (def.backend !== undefined) meta.backend = def.backend;
  return `---\n${stringify(meta, { lineWidth: 0 }).trimEnd()}\n---\n${def.prompt ? `\n${def.prompt}\n` : ''}`;
}
