import { useCallback, useEffect, useState } from 'react';
import { filterFromParams, filterToParams, type EventFilter } from '../lib/event-filter';

export const VIEWS = [
  { id: 'live', label: 'Live feed' },
  { id: 'subscriptions', label: 'Subscriptions' },
  { id: 'history', label: 'History' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'system', label: 'System' },
  { id: 'mcp', label: 'MCP' },
  { id: 'publish', label: 'Publish' },
  { id: 'agents', label: 'Agents' },
  { id: 'kv', label: 'KV store' },
  { id: 'webhooks', label: 'Webhooks' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

interface UrlState {
  view: ViewId;
  filter: EventFilter;
}

function read(): UrlState {
  const params = new URLSearchParams(window.location.search);
  const view = params.get('view');
  return {
    view: VIEWS.some((v) => v.id === view) ? (view as ViewId) : 'live',
    filter: filterFromParams(params),
  };
}

function write(state: UrlState, mode: 'push' | 'replace'): void {
  const params = new URLSearchParams(window.location.search);
  if (state.view === 'live') params.delete('view');
  else params.set('view', state.view);
  filterToParams(state.filter, params);
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ''}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

/**
 * The view and the filter live in the query string, so a link opens the
 * same view with the same filter (the token is never part of it). Switching
 * views adds a history entry; editing the filter replaces the current one so
 * typing a search does not flood the back button.
 */
export function useUrlState() {
  const [state, setState] = useState<UrlState>(read);

  useEffect(() => {
    const onPop = () => setState(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const setView = useCallback((view: ViewId) => {
    setState((s) => {
      const next = { ...s, view };
      write(next, 'push');
      return next;
    });
  }, []);

  const setFilter = useCallback((change: EventFilter | ((f: EventFilter) => EventFilter)) => {
    setState((s) => {
      const next = { ...s, filter: typeof change === 'function' ? change(s.filter) : change };
      write(next, 'replace');
      return next;
    });
  }, []);

  return { ...state, setView, setFilter };
}
