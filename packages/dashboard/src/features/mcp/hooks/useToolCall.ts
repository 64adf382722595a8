import { useCallback, useEffect, useRef, useState } from 'react';
import { HeraldRequestError, type CallChunk, type McpToolResult } from '@herald/client';
import { useSession } from '../../../realtime/session-context';

/** Progress lines kept for one call. */
const MAX_CHUNKS = 200;

export interface ToolCallState {
  state: 'idle' | 'running' | 'done' | 'failed';
  chunks: CallChunk[];
  result?: McpToolResult;
  error?: { code: string; message: string };
  startedAtMs?: number;
  durationMs?: number;
}

/** One tool call at a time over the page's socket, with its progress as it arrives. */
export function useToolCall(): ToolCallState & { run(server: string, tool: string, args: Record<string, unknown>): void; reset(): void } {
  const session = useSession();
  const [call, setCall] = useState<ToolCallState>({ state: 'idle', chunks: [] });
  const generation = useRef(0);
  useEffect(() => () => void (generation.current += 1), []);

  const run = useCallback(
    (server: string, tool: string, args: Record<string, unknown>) => {
      const mine = ++generation.current;
      const startedAtMs = Date.now();
      setCall({ state: 'running', chunks: [], startedAtMs });
      const stream = session.client.mcp.callTool(server, tool, args, { timeoutMs: 120_000 });
      void (async () => {
        for await (const chunk of stream) {
          if (generation.current !== mine) return;
          setCall((c) => ({ ...c, chunks: [...c.chunks, chunk].slice(-MAX_CHUNKS) }));
        }
      })();
      stream.result.then(
        (result) => generation.current === mine && setCall((c) => ({ ...c, state: 'done', result, durationMs: Date.now() - startedAtMs })),
        (err: unknown) => {
          if (generation.current !== mine) return;
          const error =
            err instanceof HeraldRequestError
              ? { code: err.code, message: err.message }
              : { code: 'error', message: (err as Error).message };
          setCall((c) => ({ ...c, state: 'failed', error, durationMs: Date.now() - startedAtMs }));
        },
      );
    },
    [session],
  );

  const reset = useCallback(() => {
    generation.current += 1;
    setCall({ state: 'idle', chunks: [] });
  }, []);

  return { ...call, run, reset };
}
