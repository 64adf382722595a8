import { useId } from 'react';
import type { FormField } from '../schema-form';

/** The fields of a tool's input schema, each with its control, hint and error. */
export function SchemaForm({
  fields,
  values,
  errors,
  onChange,
}: {
  fields: readonly FormField[];
  values: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, string>>;
  onChange(name: string, value: string): void;
}) {
  const id = useId();
  if (fields.length === 0) return <p className="metric-sub">This tool takes no arguments.</p>;
  return (
    <div className="field-grid">
      {fields.map((field) => {
        const fieldId = `${id}-${field.name}`;
        const value = values[field.name] ?? field.initial;
        const error = errors[field.name];
        const hintId = `${fieldId}-hint`;
        const common = { id: fieldId, name: field.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': hintId };
        const wide = field.kind === 'json' || field.kind === 'string-list';
        return (
          <div className={wide ? 'field grid-wide' : 'field'} key={field.name}>
            <label htmlFor={fieldId}>
              {field.label}
              {field.isRequired ? ' *' : ''}
            </label>
            {field.kind === 'boolean' ? (
              <input
                {...common}
                type="checkbox"
                checked={value === 'true'}
                onChange={(e) => onChange(field.name, e.target.checked ? 'true' : 'false')}
              />
            ) : field.kind === 'enum' ? (
              <select {...common} className="select" value={value} onChange={(e) => onChange(field.name, e.target.value)}>
                {!field.isRequired && <option value="">(none)</option>}
                {field.options?.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : wide ? (
              <textarea
                {...common}
                className="textarea"
                rows={field.kind === 'json' ? 4 : 3}
                value={value}
                placeholder={field.kind === 'json' ? 'JSON' : 'one item per line'}
                onChange={(e) => onChange(field.name, e.target.value)}
              />
            ) : (
              <input
                {...common}
                className="input"
                inputMode={field.kind === 'number' || field.kind === 'integer' ? 'decimal' : undefined}
                value={value}
                onChange={(e) => onChange(field.name, e.target.value)}
              />
            )}
            <span id={hintId} className={error ? 'field-error' : 'field-hint'}>
              {error ?? field.description ?? field.kind}
            </span>
          </div>
        );
      })}
    </div>
  );
}
