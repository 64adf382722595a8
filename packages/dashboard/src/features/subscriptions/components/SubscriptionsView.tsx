import { Button } from '../../../components/ui/Button';
import { Panel } from '../../../components/ui/Panel';
import { EmptyState, ErrorState } from '../../../components/ui/States';
import { DEFAULT_SUBSCRIPTION } from '../../../realtime/subscription-set';
import { useActiveSubscriptions, useMetadata } from '../../../realtime/hooks';
import { useSession } from '../../../realtime/session-context';
import { SubscriptionBuilder } from './SubscriptionBuilder';
import { SubscriptionCard } from './SubscriptionCard';

export function SubscriptionsView() {
  const session = useSession();
  const subscriptions = useActiveSubscriptions();
  const metadata = useMetadata();
  return (
    <div className="view">
      <Panel title={`Active subscriptions (${subscriptions.length})`}>
        {subscriptions.length === 0 ? (
          <EmptyState
            title="No active subscriptions"
            icon="layers"
            actions={<Button onClick={() => session.subscriptions.create(DEFAULT_SUBSCRIPTION)}>Subscribe to all events</Button>}
          >
            <p>The live feed is quiet until you subscribe. Build one below, or take everything.</p>
          </EmptyState>
        ) : (
          <div className="sub-cards">
            {subscriptions.map((s) => (
              <SubscriptionCard key={s.id} subscription={s} onUnsubscribe={() => session.subscriptions.remove(s.id)} />
            ))}
          </div>
        )}
      </Panel>
      <Panel title="New subscription">
        {metadata.data ? (
          <SubscriptionBuilder metadata={metadata.data} onSubscribe={(spec) => session.subscriptions.create(spec)} />
        ) : metadata.error ? (
          <ErrorState title="Could not load the event registry" actions={<Button onClick={metadata.retry}>Try again</Button>}>
            <p>{metadata.error.message}</p>
          </ErrorState>
        ) : (
          <p aria-busy="true">Loading event types…</p>
        )}
      </Panel>
    </div>
  );
}
