import type { Severity } from '@herald/protocol';

// Stroke icons drawn in a 24px box; bundled so the page needs no icon font or CDN.
const PATHS = {
  live: 'M3 12h4l3-8 4 16 3-8h4',
  layers: 'M12 3 2 8l10 5 10-5-10-5ZM2 13l10 5 10-5M2 18l10 5 10-5',
  clock: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z',
  chart: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  cpu: 'M9 3v3M15 3v3M9 18v3M15 18v3M3 9h3M3 15h3M18 9h3M18 15h3M7 6h10a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1ZM10 10h4v4h-4z',
  send: 'M22 2 11 13M22 2l-7 20-4-9-9-4 20-7Z',
  sun: 'M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10ZM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4',
  moon: 'M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8Z',
  auto: 'M12 3a9 9 0 1 0 0 18V3Z M12 3a9 9 0 0 1 0 18',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  x: 'M18 6 6 18M6 6l12 12',
  pause: 'M8 5v14M16 5v14',
  play: 'M7 4l13 8-13 8V4Z',
  chevron: 'm9 6 6 6-6 6',
  alert: 'M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  key: 'M15 7a3 3 0 1 1-6 0 3 3 0 0 1 6 0ZM12 10v11M12 15h4M12 19h3',
  search: 'M11 19a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM21 21l-4.3-4.3',
  refresh: 'M21 12a9 9 0 1 1-3-6.7L21 8M21 3v5h-5',
  inbox: 'M22 12h-6l-2 3h-4l-2-3H2M5.5 5h13l3.5 7v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-6l3.5-7Z',
  trash: 'M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6',
  plus: 'M12 5v14M5 12h14',
  user: 'M20 21a8 8 0 0 0-16 0M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Z',
  bolt: 'M13 2 3 14h9l-1 8 10-12h-9l1-8Z',
  plug: 'M9 2v6M15 2v6M6 8h12v4a6 6 0 0 1-12 0V8ZM12 18v4',
  sparkle: 'M12 3l2 5 5 2-5 2-2 5-2-5-5-2 5-2 2-5Z',
  git: 'M6 3v12M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM18 9a9 9 0 0 1-9 9',
  graph: 'M12 2l9 5v10l-9 5-9-5V7l9-5Z',
  dot: 'M9 12a3 3 0 1 0 6 0 3 3 0 1 0-6 0',
  // severities
  debug: 'M12 12h.01M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z',
  info: 'M12 16v-5M12 8h.01M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z',
  success: 'm8 12 3 3 5-6M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z',
  warning: 'M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
  error: 'm15 9-6 6M9 9l6 6M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z',
  critical: 'M7.9 2h8.2L22 7.9v8.2L16.1 22H7.9L2 16.1V7.9L7.9 2ZM12 8v4M12 16h.01',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18, label }: { name: IconName; size?: number; label?: string }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

/** Severity as colour, icon and (optionally) word, so it never relies on colour alone. */
export function SeverityBadge({ severity, showLabel = true }: { severity: Severity; showLabel?: boolean }) {
  return (
    <span className="sev" data-severity={severity} title={severity}>
      <Icon name={severity} size={15} label={showLabel ? undefined : severity} />
      {showLabel && <span className="sev-label">{severity}</span>}
    </span>
  );
}

const CATEGORY_ICONS: Record<string, IconName> = {
  mcp: 'plug',
  agent: 'bolt',
  user: 'user',
  system: 'cpu',
  audit: 'key',
  dashboard: 'live',
  connection: 'live',
  claude: 'sparkle',
  repo: 'git',
  github: 'git',
  graphql: 'graph',
  performance: 'clock',
};

/**
 * An event category's icon. Drawn as SVG rather than the registry's emoji,
 * which many Linux desktops (and headless browsers) render as empty boxes.
 */
export function CategoryIcon({ category }: { category: string }) {
  return (
    <span className="type-icon" aria-hidden="true" title={category}>
      <Icon name={CATEGORY_ICONS[category] ?? 'dot'} size={15} />
    </span>
  );
}
