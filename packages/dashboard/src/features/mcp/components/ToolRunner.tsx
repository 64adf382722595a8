import { useEffect, useMemo, useState } from 'react';
import type { McpToolInfo } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { EmptyState, ErrorState } from '../../../components/ui/States';
import { useToolCall } from '../hooks/useToolCall';
import { argumentsOf, fieldsOf } from '../schema-form';
import { SchemaForm } from './SchemaForm';
import { ToolResult } from './ToolResult';

/** Picks a tool of one server, fills its arguments from the schema, calls it and shows progress and result. */
export function ToolRunner({ server, tools, error }: { server: string; tools: McpToolInfo[] | undefined; error?: Error }) {
  const [toolName, setToolName] = useState<string>('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const call = useToolCall();
  const tool = tools?.find((t) => t.name === toolName) ?? tools?.[0];
  const fields = useMemo(() => fieldsOf(tool?.inputSchema), [tool]);
  const { reset } = call;

  useEffect(() => {
    setValues({});
    setErrors({});
    reset();
  }, [server, tool?.name, reset]);

  if (error) return <ErrorState title="Could not list the tools">{error.message}</ErrorState>;
  if (!tools) return <p className="metric-sub">Loading tools…</p>;
  if (!tool) return <EmptyState title="No tools">This server lists no tools (it may be down or disabled).</EmptyState>;

  const submit = () => {
    const args = argumentsOf(fields, values);
    if (!args.ok) return setErrors(args.errors);
    setErrors({});
    call.run(server, tool.name, args.value);
  };
  const last = call.chunks[call.chunks.length - 1];
  return (
    <form
      className="mcp-runner"
      data-testid="mcp-tool-runner"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="field">
        <label htmlFor="mcp-tool">Tool</label>
        <select id="mcp-tool" className="select" value={tool.name} onChange={(e) => setToolName(e.target.value)}>
          {tools.map((t) => (
            <option key={t.name} value={t.name}>
              {t.title ?? t.name}
            </option>
          ))}
        </select>
        {tool.description && <span className="field-hint">{tool.description}</span>}
      </div>
      <SchemaForm fields={fields} values={values} errors={errors} onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))} />
      <div className="pager" style={{ justifyContent: 'flex-start' }}>
        <Button type="submit" variant="primary" icon="play" disabled={call.state === 'running'}>
          {call.state === 'running' ? 'Running…' : `Call ${tool.name}`}
        </Button>
        <span className="metric-sub">
          needs{' '}
          <code>
            call:mcp.{server}.{tool.name}
          </code>
        </span>
      </div>
      {call.chunks.length > 0 && (
        <div className="mcp-progress" data-testid="mcp-progress" aria-live="polite">
          {last?.total ? <progress max={last.total} value={last.progress ?? 0} /> : null}
          <span>
            {last?.progress !== undefined
              ? `Progress ${last.progress}${last.total ? ` of ${last.total}` : ''}`
              : String(last?.content ?? '')}{' '}
            · {call.chunks.length} update{call.chunks.length === 1 ? '' : 's'}
          </span>
        </div>
      )}
      <ToolResult call={call} />
    </form>
  );
}
