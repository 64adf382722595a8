import { memo, type MouseEvent } from 'react';
import type { HeraldEvent } from '@herald/protocol';
import { CategoryIcon, Icon, SeverityBadge } from '../../../components/ui/Icon';
import { formatTime, summarize } from '../../../lib/format';
import { EventDetail } from './EventDetail';

export interface RowActions {
  onToggle: (seq: number) => void;
  onFilterType: (type: string) => void;
  onFilterSource: (source: string) => void;
  onFilterCorrelation: (correlationId: string) => void;
}

interface EventRowProps extends RowActions {
  event: HeraldEvent;
  isExpanded: boolean;
}

/**
 * One event: time, severity, type, source and a one-line summary. The
 * summary button expands the row (so does a click anywhere on the line);
 * type and source are buttons that filter by them.
 */
export const EventRow = memo(function EventRow({
  event,
  isExpanded,
  onToggle,
  onFilterType,
  onFilterSource,
  onFilterCorrelation,
}: EventRowProps) {
  const detailId = `event-detail-${event.seq}`;
  const onLineClick = (e: MouseEvent) => {
    if ((e.target as HTMLElement).closest('button')) return;
    onToggle(event.seq);
  };
  return (
    <div
      className="event-row"
      data-severity={event.severity}
      data-expanded={isExpanded}
      data-testid="event-row"
      data-type={event.type}
      data-seq={event.seq}
      role="listitem"
    >
      <div className="event-line" onClick={onLineClick}>
        <time className="event-time" dateTime={event.time}>
          {formatTime(event.time)}
        </time>
        <SeverityBadge severity={event.severity} />
        <span className="event-type">
          <CategoryIcon category={event.category} />
          <button
            type="button"
            className="link-button"
            onClick={() => onFilterType(event.type)}
            aria-label={`Filter by type ${event.type}`}
            title={`Show only ${event.type}`}
          >
            {event.type}
          </button>
        </span>
        <span className="event-source">
          <button
            type="button"
            className="link-button"
            onClick={() => onFilterSource(event.source)}
            aria-label={`Filter by source ${event.source}`}
            title={`Show only source ${event.source}`}
          >
            {event.source}
          </button>
        </span>
        <button
          type="button"
          className="link-button event-summary"
          onClick={() => onToggle(event.seq)}
          aria-expanded={isExpanded}
          aria-controls={isExpanded ? detailId : undefined}
          aria-label={`${isExpanded ? 'Collapse' : 'Expand'} ${event.type} event ${event.seq}`}
        >
          {summarize(event) || '—'}
        </button>
        <span className="expand-icon" aria-hidden="true">
          <Icon name="chevron" size={16} />
        </span>
      </div>
      {isExpanded && <EventDetail event={event} id={detailId} onFilterCorrelation={onFilterCorrelation} />}
    </div>
  );
});
