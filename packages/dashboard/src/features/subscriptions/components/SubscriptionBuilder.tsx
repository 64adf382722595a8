import { useId, useState, type FormEvent } from 'react';
import type { RegistryMetadata } from '@herald/protocol';
import type { SubscriptionSpec } from '../../../realtime/subscription-set';
import { Button } from '../../../components/ui/Button';
import { CategoryIcon } from '../../../components/ui/Icon';
import { Tabs } from '../../../components/ui/Tabs';
import { ListInput } from '../../filters/components/ListInput';
import { describeFilter } from '../describe-filter';
import { useSubscriptionBuilder } from '../hooks/useSubscriptionBuilder';
import { FilterFieldControl } from './FilterFieldControl';

/**
 * The subscription builder: category tabs, a checkbox per event type, and the
 * filters the chosen types offer, generated from the registry. No JSON.
 */
export function SubscriptionBuilder({
  metadata,
  onSubscribe,
  submitLabel = 'Subscribe',
}: {
  metadata: RegistryMetadata;
  onSubscribe: (spec: Omit<SubscriptionSpec, 'id'>) => void;
  /** The submit button's text, for forms that reuse the builder (webhooks). */
  submitLabel?: string;
}) {
  const id = useId();
  const categories = metadata.categories.filter((c) => c.events.length > 0);
  const [category, setCategory] = useState(categories[0]?.id ?? '');
  const builder = useSubscriptionBuilder(metadata);
  const current = categories.find((c) => c.id === category);
  const counts = new Map(categories.map((c) => [c.id, c.events.filter((e) => builder.selected.has(e.id)).length]));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (builder.types.length === 0) return;
    onSubscribe({ label: builder.label, types: builder.types, ...(builder.filters ? { filters: builder.filters } : {}) });
    builder.reset();
  };

  return (
    <form className="builder" onSubmit={submit} aria-label="Subscription builder">
      <Tabs
        label="Event categories"
        idPrefix={id}
        tabs={categories.map((c) => ({ id: c.id, label: c.label, badge: counts.get(c.id) }))}
        value={category}
        onChange={setCategory}
      />
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${category}`}>
        <fieldset className="toggle-group" style={{ display: 'block' }}>
          <legend className="sr-only">{current?.label} event types</legend>
          <div className="type-list">
            {current?.events.map((type) => (
              <label key={type.id} className="type-option" data-testid={`type-option-${type.id}`}>
                <input
                  type="checkbox"
                  checked={builder.selected.has(type.id)}
                  onChange={(e) => builder.toggleType(type.id, e.target.checked)}
                  aria-describedby={`${id}-desc-${type.id}`}
                />
                <span>
                  <CategoryIcon category={type.category} /> <strong>{type.label}</strong> <code>{type.id}</code>
                  <small id={`${id}-desc-${type.id}`}>{type.description}</small>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      <div className="field">
        <label htmlFor={`${id}-custom`}>Other type patterns</label>
        <ListInput
          id={`${id}-custom`}
          value={builder.customPatterns}
          onChange={builder.setCustomPatterns}
          placeholder="e.g. deploy.*, billing.invoice.paid"
        />
        <span className="field-hint">
          <code>*</code> is everything, <code>deploy.*</code> any depth below <code>deploy</code>, <code>repo.*.created</code> one segment.
        </span>
      </div>

      {builder.fields.length > 0 && (
        <section aria-label="Filters for the selected types">
          <h3>Filters</h3>
          <div className="field-grid">
            {builder.fields.map((field) => (
              <FilterFieldControl
                key={field.name}
                field={field}
                value={builder.values[field.name]}
                onChange={(v) => builder.setValue(field.name, v)}
                idPrefix={id}
              />
            ))}
          </div>
        </section>
      )}

      <div className="filter-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name (optional)</label>
          <input
            id={`${id}-name`}
            className="input"
            value={builder.name}
            onChange={(e) => builder.setName(e.target.value)}
            placeholder={builder.label || 'e.g. Failing MCP servers'}
          />
        </div>
        <Button type="submit" variant="primary" icon="plus" disabled={builder.types.length === 0} data-testid="subscribe-button">
          {submitLabel}
        </Button>
      </div>
      <p className="field-hint" aria-live="polite" data-testid="builder-summary">
        {builder.types.length === 0
          ? 'Choose at least one event type.'
          : `Will subscribe to ${builder.types.join(', ')}${
              builder.filters
                ? ` where ${Object.entries(builder.filters)
                    .map(([k, v]) => describeFilter(k, v))
                    .join(' and ')}`
                : ''
            }.`}
      </p>
    </form>
  );
}
