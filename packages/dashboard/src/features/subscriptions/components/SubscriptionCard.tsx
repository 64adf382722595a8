import { useState } from 'react';
import { Button } from '../../../components/ui/Button';
import type { ActiveSubscription } from '../../../realtime/subscription-set';
import { describeFilter } from '../describe-filter';

export function SubscriptionCard({
  subscription,
  onUnsubscribe,
}: {
  subscription: ActiveSubscription;
  onUnsubscribe: () => Promise<void>;
}) {
  const [isBusy, setIsBusy] = useState(false);
  const filters = Object.entries(subscription.filters ?? {});
  const stateLabel = { pending: 'Starting', active: 'Active', failed: 'Refused' }[subscription.state];
  return (
    <article className="glass sub-card" aria-label={`Subscription ${subscription.label}`} data-testid="subscription-card">
      <header>
        <h4 title={subscription.label}>{subscription.label}</h4>
        <span className="pill" data-state={subscription.state}>
          {stateLabel}
        </span>
      </header>
      <dl>
        <dt>Types</dt>
        <dd>{subscription.types.join(', ')}</dd>
        <dt>Filters</dt>
        {filters.map(([key, value]) => (
          <dd key={key} data-testid="subscription-filter">
            {describeFilter(key, value)}
          </dd>
        ))}
        {filters.length === 0 && <dd>none: every event of these types</dd>}
      </dl>
      {subscription.error && <p className="field-error">{subscription.error}</p>}
      <div>
        <Button
          size="sm"
          variant="danger"
          icon="x"
          disabled={isBusy}
          onClick={() => {
            setIsBusy(true);
            void onUnsubscribe().finally(() => setIsBusy(false));
          }}
          aria-label={`Unsubscribe ${subscription.label}`}
        >
          Unsubscribe
        </Button>
      </div>
    </article>
  );
}
