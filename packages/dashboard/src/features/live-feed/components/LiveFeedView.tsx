import { useCallback, useState } from 'react';
import { Button } from '../../../components/ui/Button';
import { EmptyState } from '../../../components/ui/States';
import { isFilterEmpty, EMPTY_FILTER, type EventFilter } from '../../../lib/event-filter';
import { formatNumber } from '../../../lib/format';
import { useActiveSubscriptions, useConnection } from '../../../realtime/hooks';
import { useSession } from '../../../realtime/session-context';
import type { ViewId } from '../../../app/url-state';
import { FilterBar } from '../../filters/components/FilterBar';
import { useLiveEvents } from '../hooks/useLiveEvents';
import { FeedList } from './FeedList';

interface LiveFeedViewProps {
  filter: EventFilter;
  onFilterChange: (change: EventFilter | ((f: EventFilter) => EventFilter)) => void;
  onNavigate: (view: ViewId) => void;
}

export function LiveFeedView({ filter, onFilterChange, onNavigate }: LiveFeedViewProps) {
  const session = useSession();
  const subscriptions = useActiveSubscriptions();
  const connection = useConnection();
  const [isPaused, setIsPaused] = useState(false);
  const [isReading, setIsReading] = useState(false);
  const [resetKey, setResetKey] = useState(0);
  const { events, total, waiting } = useLiveEvents(filter, isPaused || isReading);

  const addTo = useCallback(
    (field: 'types' | 'sources', value: string) =>
      onFilterChange((f) => (f[field].includes(value) ? f : { ...f, [field]: [...f[field], value] })),
    [onFilterChange],
  );
  const onFilterType = useCallback((type: string) => addTo('types', type), [addTo]);
  const onFilterSource = useCallback((source: string) => addTo('sources', source), [addTo]);
  const onFilterCorrelation = useCallback((correlationId: string) => onFilterChange((f) => ({ ...f, correlationId })), [onFilterChange]);
  const showNew = () => {
    setIsPaused(false);
    setResetKey((k) => k + 1);
  };

  return (
    <div className="view view-fill">
      <FilterBar filter={filter} onChange={onFilterChange} />
      <section className="glass feed" aria-label="Live events" style={{ position: 'relative' }}>
        <div className="feed-toolbar">
          <Button
            variant={isPaused ? 'primary' : 'default'}
            icon={isPaused ? 'play' : 'pause'}
            onClick={() => setIsPaused((p) => !p)}
            aria-pressed={isPaused}
            data-testid="pause-toggle"
          >
            {isPaused ? 'Resume' : 'Pause'}
          </Button>
          <span className="feed-count" aria-live="off" data-testid="feed-count">
            {isFilterEmpty(filter)
              ? `${formatNumber(total)} events`
              : `${formatNumber(events.length)} of ${formatNumber(total)} events match`}
          </span>
          <span className="spacer" />
          <Button size="sm" variant="ghost" icon="layers" onClick={() => onNavigate('subscriptions')}>
            {subscriptions.length === 1 ? '1 subscription' : `${subscriptions.length} subscriptions`}
          </Button>
          <Button size="sm" variant="ghost" icon="trash" onClick={() => session.feed.clear()} disabled={total === 0}>
            Clear
          </Button>
        </div>
        {waiting > 0 && (
          <Button variant="primary" size="sm" className="new-events" onClick={showNew} data-testid="show-new-events">
            {isPaused ? `Paused · ${formatNumber(waiting)} new` : `${formatNumber(waiting)} new events`} · show
          </Button>
        )}
        <div className="feed-head" aria-hidden="true">
          <span>Time</span>
          <span className="sev-label">Severity</span>
          <span>Type</span>
          <span className="col-source">Source</span>
          <span className="col-summary">Summary</span>
          <span />
        </div>
        {events.length > 0 ? (
          <FeedList
            events={events}
            label="Events, newest first"
            onReadingChange={setIsReading}
            resetKey={resetKey}
            onFilterType={onFilterType}
            onFilterSource={onFilterSource}
            onFilterCorrelation={onFilterCorrelation}
          />
        ) : subscriptions.length === 0 && connection.state === 'open' ? (
          <EmptyState
            title="No subscriptions"
            icon="layers"
            actions={
              <Button variant="primary" onClick={() => onNavigate('subscriptions')}>
                Build a subscription
              </Button>
            }
          >
            <p>The live feed shows what your subscriptions match. Pick event types (and optional filters) in the subscription builder.</p>
          </EmptyState>
        ) : total > 0 ? (
          <EmptyState
            title="No events match these filters"
            icon="search"
            actions={<Button onClick={() => onFilterChange(EMPTY_FILTER)}>Clear filters</Button>}
          >
            <p>{formatNumber(total)} events are held, but none match. Remove a filter chip above or clear them all.</p>
          </EmptyState>
        ) : (
          <EmptyState
            title="Waiting for events"
            icon="live"
            actions={<Button onClick={() => onNavigate('publish')}>Publish a test event</Button>}
          >
            <p>
              New events appear here as they are published. Send one from the Publish view, or with{' '}
              <code>herald publish test --data '{'{"hello":"world"}'}'</code>.
            </p>
          </EmptyState>
        )}
      </section>
    </div>
  );
}
