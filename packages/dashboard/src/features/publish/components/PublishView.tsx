import { useId, useMemo, type FormEvent } from 'react';
import { Button } from '../../../components/ui/Button';
import { Panel } from '../../../components/ui/Panel';
import { PRIORITY_LEVELS, SEVERITY_LEVELS } from '../../../lib/severity';
import { useMetadata } from '../../../realtime/hooks';
import type { ViewId } from '../../../app/url-state';
import { exampleData, usePublishForm } from '../hooks/usePublishForm';

/** The test-event form: a type from the registry, severity, source and JSON data checked as you type. */
export function PublishView({ onNavigate }: { onNavigate: (view: ViewId) => void }) {
  const id = useId();
  const form = usePublishForm();
  const { data: metadata } = useMetadata();
  const definitions = useMemo(() => (metadata?.categories ?? []).flatMap((c) => c.events), [metadata]);
  const exactTypes = definitions.filter((d) => !d.id.includes('*'));
  const definition = definitions.find((d) => d.id === form.draft.type);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void form.publish();
  };
  const jsonErrorId = `${id}-json-error`;

  return (
    <div className="view">
      <Panel title="Publish a test event">
        <form onSubmit={submit} aria-label="Publish an event" noValidate>
          <div className="publish-form">
            <div className="field">
              <label htmlFor={`${id}-type`}>Type</label>
              <input
                id={`${id}-type`}
                className="input"
                list={`${id}-types`}
                value={form.draft.type}
                onChange={(e) => form.update({ type: e.target.value })}
                aria-invalid={form.typeError ? true : undefined}
                aria-describedby={`${id}-type-hint`}
                autoComplete="off"
                spellCheck={false}
                data-testid="publish-type"
              />
              <datalist id={`${id}-types`}>
                {exactTypes.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </datalist>
              <span id={`${id}-type-hint`} className={form.typeError ? 'field-error' : 'field-hint'}>
                {form.typeError ?? definition?.description ?? 'Any dotted name works; the list offers the registry’s types.'}
              </span>
            </div>
            <div className="field">
              <label htmlFor={`${id}-severity`}>Severity</label>
              <select
                id={`${id}-severity`}
                className="select"
                value={form.draft.severity}
                onChange={(e) => form.update({ severity: e.target.value as typeof form.draft.severity })}
                data-testid="publish-severity"
              >
                {SEVERITY_LEVELS.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-priority`}>Priority</label>
              <select
                id={`${id}-priority`}
                className="select"
                value={form.draft.priority}
                onChange={(e) => form.update({ priority: e.target.value as typeof form.draft.priority })}
              >
                {PRIORITY_LEVELS.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-source`}>Source</label>
              <input
                id={`${id}-source`}
                className="input"
                value={form.draft.source}
                onChange={(e) => form.update({ source: e.target.value })}
                data-testid="publish-source"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-cid`}>Correlation id (optional)</label>
              <input
                id={`${id}-cid`}
                className="input"
                value={form.draft.correlationId}
                onChange={(e) => form.update({ correlationId: e.target.value })}
                placeholder="e.g. req-42"
              />
            </div>
            <div className="field grid-wide">
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
                <label htmlFor={`${id}-data`} className="field-label">
                  Data (JSON)
                </label>
                <Button size="sm" variant="ghost" onClick={() => form.update({ data: exampleData(definition) })}>
                  Fill example for this type
                </Button>
              </div>
              <textarea
                id={`${id}-data`}
                className="textarea"
                rows={10}
                value={form.draft.data}
                onChange={(e) => form.update({ data: e.target.value })}
                spellCheck={false}
                aria-invalid={!form.json.ok}
                aria-describedby={jsonErrorId}
                data-testid="publish-data"
              />
              <span
                id={jsonErrorId}
                className={form.json.ok ? 'field-hint' : 'field-error'}
                role={form.json.ok ? undefined : 'alert'}
                data-testid="publish-json-status"
              >
                {form.json.ok ? 'Valid JSON.' : `Not valid JSON: ${form.json.message}`}
              </span>
            </div>
          </div>
          <div className="pager" style={{ justifyContent: 'flex-start' }}>
            <Button
              type="submit"
              variant="primary"
              icon="send"
              disabled={!form.isValid || form.status.state === 'sending'}
              data-testid="publish-submit"
            >
              {form.status.state === 'sending' ? 'Publishing…' : 'Publish'}
            </Button>
          </div>
          <div className="publish-result" aria-live="polite" data-testid="publish-result">
            {form.status.state === 'done' && (
              <div className="banner">
                Published as seq <strong>{form.status.result.seqs[0]}</strong> (id <code>{form.status.result.ids[0]}</code>).{' '}
                <Button size="sm" variant="ghost" onClick={() => onNavigate('live')}>
                  See it in the live feed
                </Button>
              </div>
            )}
            {form.status.state === 'failed' && <div className="banner banner-error">Not published: {form.status.message}</div>}
          </div>
        </form>
      </Panel>
    </div>
  );
}
