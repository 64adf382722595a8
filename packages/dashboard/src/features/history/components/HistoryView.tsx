import { useCallback, useId, useState } from 'react';
import { Button } from '../../../components/ui/Button';
import { EmptyState, ErrorState } from '../../../components/ui/States';
import { isFilterEmpty, EMPTY_FILTER, type EventFilter } from '../../../lib/event-filter';
import { FilterBar } from '../../filters/components/FilterBar';
import { EventRow } from '../../live-feed/components/EventRow';
import { useHistoryPages } from '../hooks/useHistoryPages';

const PAGE_SIZES = [25, 50, 100, 200];

export function HistoryView({
  filter,
  onFilterChange,
}: {
  filter: EventFilter;
  onFilterChange: (change: EventFilter | ((f: EventFilter) => EventFilter)) => void;
}) {
  const id = useId();
  const [pageSize, setPageSize] = useState(50);
  const history = useHistoryPages(filter, pageSize);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const onToggle = useCallback((seq: number) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  }, []);
  const addTo = (field: 'types' | 'sources', value: string) =>
    onFilterChange((f) => (f[field].includes(value) ? f : { ...f, [field]: [...f[field], value] }));

  return (
    <div className="view">
      <FilterBar filter={filter} onChange={onFilterChange} />
      <section className="glass panel" aria-labelledby={`${id}-title`} aria-busy={history.isLoading}>
        <div className="view-title" style={{ marginBottom: 8 }}>
          <div>
            <h2 id={`${id}-title`}>History</h2>
            <p>Stored events, newest first, with the same filters as the live feed.</p>
          </div>
          <Button size="sm" icon="refresh" onClick={history.reload}>
            Refresh
          </Button>
        </div>
        {history.error ? (
          <ErrorState title="Could not load history" actions={<Button onClick={history.reload}>Try again</Button>}>
            <p>{history.error.message}</p>
          </ErrorState>
        ) : history.events.length === 0 && !history.isLoading ? (
          history.page > 1 ? (
            <EmptyState title="No older events" actions={<Button onClick={history.newer}>Back to newer</Button>}>
              <p>This is as far back as the store goes for these filters.</p>
            </EmptyState>
          ) : isFilterEmpty(filter) ? (
            <EmptyState title="Nothing stored yet">
              <p>Events appear here once something publishes them; try the Publish view.</p>
            </EmptyState>
          ) : (
            <EmptyState
              title="No stored events match"
              icon="search"
              actions={<Button onClick={() => onFilterChange(EMPTY_FILTER)}>Clear filters</Button>}
            >
              <p>Widen the time range or remove a filter chip.</p>
            </EmptyState>
          )
        ) : (
          <div
            role="list"
            aria-label={`History page ${history.page}`}
            data-testid="history-list"
            style={{ opacity: history.isLoading ? 0.6 : 1 }}
          >
            {history.events.map((event) => (
              <EventRow
                key={event.seq}
                event={event}
                isExpanded={expanded.has(event.seq)}
                onToggle={onToggle}
                onFilterType={(t) => addTo('types', t)}
                onFilterSource={(s) => addTo('sources', s)}
                onFilterCorrelation={(c) => onFilterChange((f) => ({ ...f, correlationId: c }))}
              />
            ))}
          </div>
        )}
        <nav className="pager" aria-label="History pages">
          <label htmlFor={`${id}-size`}>Per page</label>
          <select id={`${id}-size`} className="select" value={pageSize} onChange={(e) => setPageSize(Number(e.target.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <Button size="sm" onClick={history.newer} disabled={!history.hasNewer || history.isLoading}>
            Newer
          </Button>
          <span data-testid="history-page">Page {history.page}</span>
          <Button size="sm" onClick={history.older} disabled={!history.hasOlder || history.isLoading}>
            Older
          </Button>
        </nav>
      </section>
    </div>
  );
}
