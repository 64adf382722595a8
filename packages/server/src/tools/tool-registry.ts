import type { Tool } from './tool.js';

/** A tool's listing: what `tools.list` and error messages show. */
export interface ToolListing {
  name: string;
  description: string;
  inputSchema?: Record<string, unknown>;
}

/**
 * The tools callable with `{"action":"call","tool":NAME}`, by name. Modules
 * register theirs at start (the MCP registry its `mcp.*` tools, the KV
 * store its `kv.*`), and may register later ones (per MCP server).
 */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();

  /** Adds a tool; a second tool with the same name is a programming error. */
  register(tool: Tool): void {
    if (this.tools.has(tool.name)) throw new Error(`tool "${tool.name}" is registered twice`);
    this.tools.set(tool.name, tool);
  }

  /** Adds several tools. */
  registerAll(tools: Iterable<Tool>): void {
    for (const tool of tools) this.register(tool);
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  /** Every tool, sorted by name. */
  list(): ToolListing[] {
    return [...this.tools.values()]
      .map((t) =>
        t.inputSchema
          ? { name: t.name, description: t.description, inputSchema: t.inputSchema }
          : { name: t.name, description: t.description },
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get names(): string[] {
    return [...this.tools.keys()].sort();
  }
}
