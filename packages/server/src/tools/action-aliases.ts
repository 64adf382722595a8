import { HeraldError } from '../errors/herald-error.js';
import type { Tool } from './tool.js';
import type { ToolRegistry } from './tool-registry.js';

/** An action that is not built in, resolved to the tool that answers it. */
export interface ActionResolution {
  tool: Tool;
  params: unknown;
}

/**
 * Resolves an action that is not built in (`sendMessage`, `mcp_call`, …)
 * to a tool, or undefined when nothing handles it. The route table of the
 * config file is one; the aliases below another.
 */
export type ActionResolver = (action: string, message: Record<string, unknown>) => ActionResolution | undefined;

/** Older action names kept as aliases of tools, with how their params map. */
const ALIASES: Record<string, { tool: string; params(message: Record<string, unknown>): unknown }> = {
  // {"action":"mcp_call","server":"everything","tool":"echo","arguments":{…}}
  mcp_call: {
    tool: 'mcp.call',
    params: (m) => ({ server: m.server, name: m.name ?? m.tool, arguments: m.arguments ?? m.args ?? {} }),
  },
  list_tools: { tool: 'mcp.list_tools', params: (m) => (m.server === undefined ? {} : { server: m.server }) },
  server_info: { tool: 'mcp.server_info', params: (m) => ({ server: m.server }) },
  health_check: { tool: 'mcp.health_check', params: (m) => (m.server === undefined ? {} : { server: m.server }) },
  request_metrics: { tool: 'metrics.get', params: () => ({}) },
};

/** The action names that are aliases of tools. */
export const ALIAS_ACTIONS = Object.freeze(Object.keys(ALIASES));

/** Resolves the alias actions against the tools registered. */
export function aliasResolver(tools: ToolRegistry): ActionResolver {
  return (action, message) => {
    const alias = ALIASES[action];
    if (!alias) return undefined;
    const tool = tools.get(alias.tool);
    if (!tool) {
      throw new HeraldError(
        'unknown_tool',
        `"${action}" calls the tool "${alias.tool}", which this server does not offer (is the feature configured?)`,
        {
          path: 'action',
          tool: alias.tool,
        },
      );
    }
    return { tool, params: alias.params(message) };
  };
}

/** Tries each resolver in order; the first that knows the action wins. */
export function firstResolver(...resolvers: ActionResolver[]): ActionResolver {
  return (action, message) => {
    for (const resolve of resolvers) {
      const found = resolve(action, message);
      if (found) return found;
    }
    return undefined;
  };
}
