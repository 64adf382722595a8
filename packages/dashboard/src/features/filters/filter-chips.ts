import type { EventFilter } from '../../lib/event-filter';

export interface FilterChip {
  key: string;
  label: string;
  remove: (filter: EventFilter) => EventFilter;
}

/** One removable chip per active filter value. */
export function filterChips(filter: EventFilter): FilterChip[] {
  const chips: FilterChip[] = [];
  const each = <K extends 'types' | 'sources' | 'severity' | 'priority'>(field: K, name: string) => {
    for (const value of filter[field]) {
      chips.push({
        key: `${field}:${value}`,
        label: `${name}: ${value}`,
        remove: (f) => ({ ...f, [field]: (f[field] as string[]).filter((v) => v !== value) }),
      });
    }
  };
  each('types', 'type');
  each('sources', 'source');
  each('severity', 'severity');
  each('priority', 'priority');
  if (filter.correlationId)
    chips.push({ key: 'cid', label: `correlation: ${filter.correlationId}`, remove: (f) => ({ ...f, correlationId: '' }) });
  if (filter.search.trim()) chips.push({ key: 'q', label: `search: “${filter.search.trim()}”`, remove: (f) => ({ ...f, search: '' }) });
  if (filter.range) chips.push({ key: 'range', label: `last ${filter.range}`, remove: (f) => ({ ...f, range: '' }) });
  return chips;
}
