import type { ToolCallState } from '../hooks/useToolCall';

/** The answer of a call: text blocks as text, images as images, anything else as JSON; or the error with its code. */
export function ToolResult({ call }: { call: ToolCallState }) {
  if (call.state === 'failed' && call.error) {
    return (
      <div className="banner banner-error" role="alert" data-testid="mcp-result" data-state="failed">
        <strong>{call.error.code}</strong>
        <span>{call.error.message}</span>
      </div>
    );
  }
  if (call.state !== 'done' || !call.result) return null;
  return (
    <div className="mcp-result" data-testid="mcp-result" data-state="done" aria-live="polite">
      <p className="metric-sub">Answered in {call.durationMs} ms</p>
      {call.result.content.map((block, i) =>
        block.type === 'text' ? (
          <pre key={i} className="mcp-text">
            {block.text}
          </pre>
        ) : block.type === 'image' && block.data ? (
          <img key={i} alt="tool output" src={`data:${block.mimeType ?? 'image/png'};base64,${block.data}`} style={{ maxWidth: 240 }} />
        ) : (
          <pre key={i} className="mcp-text">
            {JSON.stringify(block, null, 2)}
          </pre>
        ),
      )}
      {call.result.structuredContent && (
        <details>
          <summary>Structured content</summary>
          <pre className="mcp-text">{JSON.stringify(call.result.structuredContent, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
