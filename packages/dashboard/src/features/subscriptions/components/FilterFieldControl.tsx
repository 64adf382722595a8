import type { FilterableField } from '@herald/protocol';
import { ToggleGroup } from '../../../components/ui/ToggleGroup';
import { ListInput } from '../../filters/components/ListInput';
import type { FieldValue } from '../builder-model';

const OPERATOR_LABEL = { eq: '=', gte: 'at least', lte: 'at most' } as const;

/** One generated filter control: multiselect, select, text or number, as the registry field says. */
export function FilterFieldControl({
  field,
  value,
  onChange,
  idPrefix,
}: {
  field: FilterableField;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
  idPrefix: string;
}) {
  const id = `${idPrefix}-${field.name}`;
  if (field.type === 'multiselect' && field.options?.length) {
    return <ToggleGroup legend={field.label} options={field.options} value={Array.isArray(value) ? value : []} onChange={onChange} />;
  }
  const hint = field.path.startsWith('data.') ? `reads ${field.path}` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {field.type === 'number' && field.operator ? ` (${OPERATOR_LABEL[field.operator]})` : ''}
      </label>
      {field.type === 'multiselect' ? (
        <ListInput id={id} value={Array.isArray(value) ? value : []} onChange={onChange} placeholder="Comma-separated values" />
      ) : field.type === 'select' ? (
        <select id={id} className="select" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)}>
          <option value="">Any</option>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          className="input"
          type={field.type === 'number' ? 'number' : 'text'}
          inputMode={field.type === 'number' ? 'numeric' : undefined}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  );
}
