import { useConnection, useEventRate } from '../../realtime/hooks';
import { Icon } from '../ui/Icon';
import { ConnectionStatus } from './ConnectionStatus';
import { OrgSwitcher } from './OrgSwitcher';
import { ThemeToggle } from './ThemeToggle';

export function Header() {
  const rate = useEventRate();
  const info = useConnection();
  const user = info.welcome?.user;
  return (
    <header className="app-header glass">
      <h1 className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="bolt" size={16} />
        </span>
        Herald
      </h1>
      <ConnectionStatus />
      <div className="header-stats">
        <span className="header-stat" title="Events per second this page receives, averaged over 5 s">
          <Icon name="live" size={15} />
          <strong data-testid="events-per-second">{rate.toFixed(rate < 10 ? 1 : 0)}</strong> events/s
        </span>
        {user && (
          <span className="header-stat header-stat-optional" data-testid="current-user">
            <Icon name="user" size={15} />
            <strong>{user.id}</strong>
            {user.org && !info.welcome?.user.orgs?.length ? <span>@{user.org}</span> : null}
          </span>
        )}
        <OrgSwitcher />
        <ThemeToggle />
      </div>
    </header>
  );
}
