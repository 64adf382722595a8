import { useEffect, useState } from 'react';
import type { HeraldEvent, HistoryPage } from '@herald/protocol';
import { apiGet } from '../../../lib/api';
import { toHistoryRequest, type EventFilter } from '../../../lib/event-filter';
import { useSession } from '../../../realtime/session-context';

/** Wait after the last keystroke before asking the server, ms. */
const DEBOUNCE_MS = 250;

interface PageState {
  events: readonly HeraldEvent[];
  nextCursor: string | null;
  isLoading: boolean;
  error?: Error;
}

/**
 * Pages of stored events matching the filter, newest first, from
 * `GET /api/events/history`. The cursors of the pages already seen are
 * kept, so "newer" goes back without the server keeping any state.
 */
export function useHistoryPages(filter: EventFilter, pageSize: number) {
  const session = useSession();
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [reloadKey, setReloadKey] = useState(0);
  const [state, setState] = useState<PageState>({ events: [], nextCursor: null, isLoading: true });
  const filterKey = JSON.stringify(filter);

  // A new filter or page size starts again from the newest page.
  useEffect(() => setCursors([undefined]), [filterKey, pageSize]);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, isLoading: true, error: undefined }));
    const timer = setTimeout(() => {
      // The GET form of the query: lists go comma-separated; the filter bar never sets `filters`.
      const { filters: _unused, ...request } = toHistoryRequest(JSON.parse(filterKey) as EventFilter);
      apiGet<HistoryPage<HeraldEvent>>(
        session.token,
        '/api/events/history',
        { ...request, limit: pageSize, cursor },
        controller.signal,
      ).then(
        (page) => setState({ events: page.events, nextCursor: page.next_cursor, isLoading: false }),
        (error: Error) => {
          if (error.name !== 'AbortError') setState((s) => ({ ...s, isLoading: false, error }));
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [session, filterKey, pageSize, cursor, reloadKey]);

  return {
    ...state,
    page: cursors.length,
    hasOlder: state.nextCursor !== null && state.events.length > 0,
    hasNewer: cursors.length > 1,
    older: () => state.nextCursor && setCursors((c) => [...c, state.nextCursor ?? undefined]),
    newer: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reload: () => setReloadKey((k) => k + 1),
  };
}
