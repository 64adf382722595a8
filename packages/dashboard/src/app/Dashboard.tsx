import { Header } from '../components/layout/Header';
import { Nav } from '../components/layout/Nav';
import { useConnection } from '../realtime/hooks';
import { AnalyticsView } from '../features/analytics/components/AnalyticsView';
import { HistoryView } from '../features/history/components/HistoryView';
import { LiveFeedView } from '../features/live-feed/components/LiveFeedView';
import { PublishView } from '../features/publish/components/PublishView';
import { SubscriptionsView } from '../features/subscriptions/components/SubscriptionsView';
import { SystemView } from '../features/system/components/SystemView';
import { McpView } from '../features/mcp/components/McpView';
import { AgentsView } from '../features/agents/components/AgentsView';
import { KvView } from '../features/kv/components/KvView';
import { WebhooksView } from '../features/webhooks/components/WebhooksView';
import { Icon } from '../components/ui/Icon';
import { useSession } from '../realtime/session-context';
import { Button } from '../components/ui/Button';
import { VIEWS } from './url-state';
import { useUrlState } from './url-state';

export function Dashboard() {
  const { view, filter, setView, setFilter } = useUrlState();
  const title = VIEWS.find((v) => v.id === view)?.label ?? 'Herald';
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <Nav view={view} onChange={setView} />
      <main id="main" className="app-main" aria-label={title} tabIndex={-1} data-view={view}>
        <ConnectionBanner />
        {view === 'live' && <LiveFeedView filter={filter} onFilterChange={setFilter} onNavigate={setView} />}
        {view === 'subscriptions' && <SubscriptionsView />}
        {view === 'history' && <HistoryView filter={filter} onFilterChange={setFilter} />}
        {view === 'analytics' && <AnalyticsView onNavigate={setView} />}
        {view === 'system' && <SystemView />}
        {view === 'mcp' && <McpView />}
        {view === 'publish' && <PublishView onNavigate={setView} />}
        {view === 'agents' && <AgentsView />}
        {view === 'kv' && <KvView />}
        {view === 'webhooks' && <WebhooksView />}
      </main>
    </div>
  );
}

/** Says what is going on while the socket is down, and what happens next. */
function ConnectionBanner() {
  const info = useConnection();
  const session = useSession();
  if (info.state === 'open' || info.state === 'connecting') return null;
  if (info.state === 'reconnecting') {
    return (
      <div className="banner" role="status" data-testid="reconnecting-banner">
        <Icon name="refresh" />
        <span>Connection lost{info.error ? ` (${info.error})` : ''}. Reconnecting; events published meanwhile will be replayed.</span>
      </div>
    );
  }
  return (
    <div className="banner banner-error" role="alert">
      <Icon name="alert" />
      <span>Disconnected{info.error ? `: ${info.error}` : ''}. The server closed the connection for good.</span>
      <Button size="sm" onClick={() => window.location.reload()} disabled={!session}>
        Reload
      </Button>
    </div>
  );
}
