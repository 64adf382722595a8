import { useId, useState } from 'react';
import type { WebhookInput } from '@herald/protocol';
import { ErrorState } from '../../../components/ui/States';
import { Button } from '../../../components/ui/Button';
import { useMetadata } from '../../../realtime/hooks';
import { SubscriptionBuilder } from '../../subscriptions/components/SubscriptionBuilder';

/**
 * A new webhook: where to POST and how, then which events, chosen with the
 * subscription builder's type and filter pickers.
 */
export function WebhookForm({ onCreate }: { onCreate: (input: WebhookInput) => Promise<unknown> }) {
  const id = useId();
  const metadata = useMetadata();
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<'herald' | 'cloudevents'>('herald');
  const [maxAttempts, setMaxAttempts] = useState(8);
  const [error, setError] = useState<string>();

  if (!metadata.data) {
    return metadata.error ? (
      <ErrorState title="Could not load the event registry" actions={<Button onClick={metadata.retry}>Try again</Button>}>
        <p>{metadata.error.message}</p>
      </ErrorState>
    ) : (
      <p aria-busy="true">Loading event types…</p>
    );
  }
  return (
    <div className="webhook-form">
      <div className="filter-row">
        <div className="field" style={{ flex: 3 }}>
          <label htmlFor={`${id}-url`}>Receiver URL</label>
          <input
            id={`${id}-url`}
            className="input"
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://hooks.example.com/herald"
            data-testid="webhook-url"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-format`}>Body</label>
          <select id={`${id}-format`} className="select" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            <option value="herald">Herald event</option>
            <option value="cloudevents">CloudEvents 1.0</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-attempts`}>Attempts</label>
          <input
            id={`${id}-attempts`}
            className="input"
            type="number"
            min={1}
            max={100}
            value={maxAttempts}
            onChange={(e) => setMaxAttempts(Number(e.target.value))}
            data-testid="webhook-attempts"
          />
        </div>
      </div>
      <SubscriptionBuilder
        metadata={metadata.data}
        submitLabel="Create webhook"
        onSubscribe={(spec) => {
          setError(undefined);
          const input: WebhookInput = { url: url.trim(), event_types: spec.types, format, maxAttempts, description: spec.label };
          if (spec.filters) input.filters = spec.filters;
          onCreate(input).then(
            () => setUrl(''),
            (err: Error) => setError(err.message),
          );
        }}
      />
      {error && (
        <p className="field-error" role="alert" data-testid="webhook-error">
          {error}
        </p>
      )}
    </div>
  );
}
