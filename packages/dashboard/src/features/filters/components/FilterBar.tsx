import { useId, useMemo, useState } from 'react';
import { Button } from '../../../components/ui/Button';
import { Chip } from '../../../components/ui/Chip';
import { Icon } from '../../../components/ui/Icon';
import { ToggleGroup } from '../../../components/ui/ToggleGroup';
import { EMPTY_FILTER, TIME_RANGES, isFilterEmpty, type EventFilter, type TimeRange } from '../../../lib/event-filter';
import { PRIORITY_LEVELS, SEVERITY_LEVELS } from '../../../lib/severity';
import { useMetadata } from '../../../realtime/hooks';
import { filterChips } from '../filter-chips';
import { ListInput } from './ListInput';

/**
 * Search and filters shared by the live feed and History: every change
 * applies at once and is written to the URL; active filters show as chips.
 */
export function FilterBar({
  filter,
  onChange,
}: {
  filter: EventFilter;
  onChange: (change: EventFilter | ((f: EventFilter) => EventFilter)) => void;
}) {
  const id = useId();
  const [isOpen, setIsOpen] = useState(false);
  const { data } = useMetadata();
  const typeSuggestions = useMemo(() => (data?.categories ?? []).flatMap((c) => c.events.map((e) => e.id)), [data]);
  const chips = filterChips(filter);
  const set = <K extends keyof EventFilter>(key: K, value: EventFilter[K]) => onChange((f) => ({ ...f, [key]: value }));

  return (
    <section className="glass filter-bar" aria-label="Filters">
      <div className="filter-row">
        <div className="field field-search">
          <label htmlFor={`${id}-search`}>Search</label>
          <input
            id={`${id}-search`}
            className="input"
            type="search"
            placeholder="Text in type, source or data"
            value={filter.search}
            onChange={(e) => set('search', e.target.value)}
            data-testid="filter-search"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-range`}>Time range</label>
          <select
            id={`${id}-range`}
            className="select"
            value={filter.range}
            onChange={(e) => set('range', e.target.value as TimeRange | '')}
          >
            <option value="">Any time</option>
            {TIME_RANGES.map((r) => (
              <option key={r} value={r}>
                Last {r}
              </option>
            ))}
          </select>
        </div>
        <Button onClick={() => setIsOpen((o) => !o)} aria-expanded={isOpen} aria-controls={`${id}-more`} icon="search">
          {isOpen ? 'Fewer filters' : 'More filters'}
        </Button>
      </div>
      {isOpen && (
        <div id={`${id}-more`} className="filter-row">
          <div className="field">
            <label htmlFor={`${id}-types`}>Event types</label>
            <ListInput
              id={`${id}-types`}
              listId={`${id}-type-list`}
              value={filter.types}
              onChange={(v) => set('types', v)}
              placeholder="e.g. mcp_status_change, claude.*"
              suggestions={typeSuggestions}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-sources`}>Sources</label>
            <ListInput id={`${id}-sources`} value={filter.sources} onChange={(v) => set('sources', v)} placeholder="e.g. mcp-monitor" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-cid`}>Correlation id</label>
            <input
              id={`${id}-cid`}
              className="input"
              value={filter.correlationId}
              onChange={(e) => set('correlationId', e.target.value.trim())}
              placeholder="e.g. req-42"
            />
          </div>
          <ToggleGroup legend="Severity" options={SEVERITY_LEVELS} value={filter.severity} onChange={(v) => set('severity', v)} />
          <ToggleGroup legend="Priority" options={PRIORITY_LEVELS} value={filter.priority} onChange={(v) => set('priority', v)} />
        </div>
      )}
      {chips.length > 0 && (
        <div className="chips" aria-label="Active filters" role="group">
          <Icon name="search" size={14} />
          {chips.map((chip) => (
            <Chip key={chip.key} label={chip.label} onRemove={() => onChange((f) => chip.remove(f))} />
          ))}
          {!isFilterEmpty(filter) && (
            <Button size="sm" variant="ghost" onClick={() => onChange(EMPTY_FILTER)}>
              Clear all
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
