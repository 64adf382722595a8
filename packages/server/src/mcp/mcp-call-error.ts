import { ErrorCode as McpErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { HeraldError } from '../errors/herald-error.js';

/** The message of anything thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * What a failed `tools/call` means to the caller: the SDK's timeout is
 * `call_timeout`, a closed connection `upstream_unavailable`, a JSON-RPC error
 * reply `upstream_error` with its code.
 */
export function toCallError(err: unknown, server: string, tool: string, timeoutMs: number): HeraldError {
  if (err instanceof HeraldError) return err;
  if (err instanceof McpError) {
    if (err.code === McpErrorCode.RequestTimeout)
      return new HeraldError('call_timeout', `"${server}/${tool}" did not finish within ${timeoutMs} ms; it was cancelled`, {
        timeout_ms: timeoutMs,
        server,
        tool,
      });
    if (err.code === McpErrorCode.ConnectionClosed)
      return new HeraldError('upstream_unavailable', `MCP server "${server}" went away during the call to "${tool}"`, { server, tool });
    return new HeraldError(
      'upstream_error',
      `MCP server "${server}" answered the call to "${tool}" with an error (${err.code}): ${err.message}`,
      { server, tool, mcp_code: err.code },
    );
  }
  return new HeraldError('upstream_error', `the call to "${server}/${tool}" failed: ${errorText(err)}`, { server, tool });
}
