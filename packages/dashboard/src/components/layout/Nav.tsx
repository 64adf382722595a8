import { VIEWS, type ViewId } from '../../app/url-state';
import { Icon, type IconName } from '../ui/Icon';

const ICONS: Record<ViewId, IconName> = {
  live: 'live',
  subscriptions: 'layers',
  history: 'clock',
  analytics: 'chart',
  system: 'cpu',
  mcp: 'plug',
  publish: 'send',
  agents: 'sparkle',
  kv: 'key',
  webhooks: 'git',
};

export function Nav({ view, onChange }: { view: ViewId; onChange: (view: ViewId) => void }) {
  return (
    <nav className="app-nav glass" aria-label="Views">
      {VIEWS.map((v) => (
        <a
          key={v.id}
          className="nav-link"
          href={v.id === 'live' ? '?' : `?view=${v.id}`}
          aria-current={v.id === view ? 'page' : undefined}
          onClick={(e) => {
            // Plain links keep middle-click and "open in new tab"; a left click stays in the page.
            if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
            e.preventDefault();
            onChange(v.id);
          }}
        >
          <Icon name={ICONS[v.id]} />
          <span className="nav-label">{v.label}</span>
        </a>
      ))}
    </nav>
  );
}
