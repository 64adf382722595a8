import { useId, useState, type FormEvent } from 'react';
import type { KvItem } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { Panel } from '../../../components/ui/Panel';
import { ErrorState } from '../../../components/ui/States';
import { useKvBrowser } from '../hooks/useKvBrowser';
import { checkKvDraft, describeTtl, type KvDraft } from '../kv-draft';

const EMPTY: KvDraft = { key: '', value: '', ttl: '' };

/** Browse the org's KV keys by prefix, edit a value as JSON (checked as you type), see TTLs, delete. */
export function KvView() {
  const id = useId();
  const [prefix, setPrefix] = useState('');
  const kv = useKvBrowser(prefix);
  const [draft, setDraft] = useState<KvDraft>(EMPTY);
  const [saveError, setSaveError] = useState<string>();
  const [isSaving, setIsSaving] = useState(false);
  const check = checkKvDraft(draft);
  const problems: { key?: string; value?: string; ttl?: string } = check.ok ? {} : check;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!check.ok) return;
    setIsSaving(true);
    setSaveError(undefined);
    try {
      await kv.save(check.key, check.value, check.ttlS);
      setDraft(EMPTY);
    } catch (err) {
      setSaveError((err as Error).message);
    } finally {
      setIsSaving(false);
    }
  };
  const edit = (item: KvItem) =>
    setDraft({ key: item.key, value: JSON.stringify(item.value, null, 2), ttl: item.ttl_s === null ? '' : String(item.ttl_s) });

  return (
    <div className="view">
      <Panel title="Edit a key">
        <form className="kv-editor" onSubmit={(e) => void submit(e)} aria-label="Edit a key" noValidate>
          <div className="field">
            <label htmlFor={`${id}-key`}>Key</label>
            <input
              id={`${id}-key`}
              className="input"
              value={draft.key}
              onChange={(e) => setDraft({ ...draft, key: e.target.value })}
              aria-invalid={draft.key !== '' && !!problems.key}
              spellCheck={false}
              data-testid="kv-key"
            />
            {draft.key !== '' && problems.key && <span className="field-error">{problems.key}</span>}
          </div>
          <div className="field">
            <label htmlFor={`${id}-ttl`}>TTL, seconds (empty: never expires)</label>
            <input
              id={`${id}-ttl`}
              className="input"
              inputMode="numeric"
              value={draft.ttl}
              onChange={(e) => setDraft({ ...draft, ttl: e.target.value })}
              aria-invalid={!!problems.ttl}
              data-testid="kv-ttl"
            />
            {problems.ttl && <span className="field-error">{problems.ttl}</span>}
          </div>
          <div className="field grid-wide">
            <label htmlFor={`${id}-value`}>Value (JSON)</label>
            <textarea
              id={`${id}-value`}
              className="textarea"
              rows={6}
              value={draft.value}
              onChange={(e) => setDraft({ ...draft, value: e.target.value })}
              aria-invalid={draft.value !== '' && !!problems.value}
              aria-describedby={`${id}-value-error`}
              spellCheck={false}
              data-testid="kv-value"
            />
            <span
              id={`${id}-value-error`}
              className={draft.value !== '' && problems.value ? 'field-error' : 'field-hint'}
              data-testid="kv-value-check"
            >
              {draft.value !== '' && problems.value ? problems.value : 'Any JSON value up to 64 KiB.'}
            </span>
          </div>
          <div className="grid-wide" style={{ display: 'flex', gap: 8 }}>
            <Button type="submit" variant="primary" disabled={!check.ok || isSaving} data-testid="kv-save">
              Save
            </Button>
            <Button variant="ghost" onClick={() => setDraft(EMPTY)}>
              New key
            </Button>
          </div>
          {saveError && (
            <p className="field-error grid-wide" role="alert">
              {saveError}
            </p>
          )}
        </form>
      </Panel>
      <Panel
        title="Keys"
        actions={
          <Button size="sm" variant="ghost" icon="refresh" onClick={kv.refresh}>
            Refresh
          </Button>
        }
      >
        <div className="field">
          <label htmlFor={`${id}-prefix`}>Prefix</label>
          <input
            id={`${id}-prefix`}
            className="input"
            type="search"
            value={prefix}
            onChange={(e) => setPrefix(e.target.value)}
            placeholder="e.g. session:"
            data-testid="kv-prefix"
          />
        </div>
        {kv.error ? (
          <ErrorState title="Could not list the keys">
            <p>{kv.error}</p>
          </ErrorState>
        ) : (
          <KeyTable
            items={kv.items}
            onEdit={edit}
            onDelete={(key) => void kv.remove(key).catch((err: Error) => setSaveError(err.message))}
          />
        )}
        {kv.hasMore && (
          <Button size="sm" onClick={() => void kv.loadMore()}>
            More keys
          </Button>
        )}
      </Panel>
    </div>
  );
}

function KeyTable({ items, onEdit, onDelete }: { items: KvItem[]; onEdit: (item: KvItem) => void; onDelete: (key: string) => void }) {
  if (items.length === 0) return <p className="field-hint">No keys here. Save one above, or call kv.set.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="kv-table">
        <thead>
          <tr>
            <th>Key</th>
            <th>Value</th>
            <th>Expires in</th>
            <th className="num">Size</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key} data-testid="kv-row" data-key={item.key}>
              <td>
                <code>{item.key}</code>
              </td>
              <td className="kv-value">
                <code>{preview(item.value)}</code>
              </td>
              <td title={item.expires_at ?? 'never expires'} data-testid="kv-row-ttl">
                {describeTtl(item.ttl_s)}
              </td>
              <td className="num">{item.size_bytes} B</td>
              <td style={{ whiteSpace: 'nowrap' }}>
                <Button size="sm" variant="ghost" onClick={() => onEdit(item)} aria-label={`Edit ${item.key}`}>
                  Edit
                </Button>
                <Button size="sm" variant="danger" icon="trash" onClick={() => onDelete(item.key)} aria-label={`Delete ${item.key}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function preview(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
