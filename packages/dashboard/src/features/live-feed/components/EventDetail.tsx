import { useState } from 'react';
import type { HeraldEvent } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { formatDateTime } from '../../../lib/format';

/** The whole event as pretty JSON, with a copy button and the correlation id as a filter link. */
export function EventDetail({
  event,
  id,
  onFilterCorrelation,
}: {
  event: HeraldEvent;
  id: string;
  onFilterCorrelation?: (correlationId: string) => void;
}) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const json = JSON.stringify(event, null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(json);
      setCopied('done');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <div className="event-detail" id={id}>
      <div className="event-meta">
        <span>
          seq <strong>{event.seq}</strong>
        </span>
        <span>{formatDateTime(event.time)}</span>
        <span>
          priority <strong>{event.priority}</strong>
        </span>
        <span>
          category <strong>{event.category}</strong>
        </span>
        {event.org && (
          <span>
            org <strong>{event.org}</strong>
          </span>
        )}
        {event.correlation_id && (
          <span>
            correlation{' '}
            {onFilterCorrelation ? (
              <button
                type="button"
                className="link-button"
                onClick={() => onFilterCorrelation(event.correlation_id!)}
                aria-label={`Filter by correlation id ${event.correlation_id}`}
              >
                <strong>{event.correlation_id}</strong>
              </button>
            ) : (
              <strong>{event.correlation_id}</strong>
            )}
          </span>
        )}
      </div>
      <div className="event-json">
        <pre tabIndex={0} aria-label="Event JSON">
          {json}
        </pre>
        <Button size="sm" icon="copy" onClick={copy} aria-live="polite">
          {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy JSON'}
        </Button>
      </div>
    </div>
  );
}
