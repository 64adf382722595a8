import { useEffect, useMemo, useRef, useState } from 'react';
import type { HeraldEvent } from '@herald/protocol';
import { compileEventFilter, isFilterEmpty, type EventFilter } from '../../../lib/event-filter';
import { FEED_CAPACITY, type FeedSnapshot } from '../../../realtime/feed-buffer';
import { useFeedSnapshot } from '../../../realtime/hooks';

interface FilterCache {
  source: readonly HeraldEvent[];
  key: string;
  result: readonly HeraldEvent[];
}

/**
 * The live events to show, newest first, with the filter applied. While
 * `isHeld` (paused, or the reader is scrolled down or reading an expanded
 * row) the list stays as it was, so nothing moves under the reader;
 * `waiting` counts what arrived meanwhile.
 */
export function useLiveEvents(filter: EventFilter, isHeld: boolean) {
  const latest = useFeedSnapshot();
  const held = useRef<FeedSnapshot | undefined>(undefined);
  if (!isHeld) held.current = undefined;
  else held.current ??= latest;
  const shown = held.current ?? latest;

  // A time window ("last 15 minutes") slides: re-check it now and then.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!filter.range) return;
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, [filter.range]);

  const cache = useRef<FilterCache | undefined>(undefined);
  const events = useMemo(() => {
    if (isFilterEmpty(filter)) {
      cache.current = undefined;
      return shown.events;
    }
    const key = `${JSON.stringify(filter)}#${tick}`;
    const predicate = compileEventFilter(filter);
    const previous = cache.current;
    let result: readonly HeraldEvent[];
    // Usually only the newest batch is new: filter just that and keep the rest.
    if (previous && previous.key === key && shown.added >= 0 && shown.events[shown.added] === previous.source[0]) {
      const fresh = shown.events.slice(0, shown.added).filter(predicate);
      result = fresh.length === 0 ? previous.result : fresh.concat(previous.result as HeraldEvent[]).slice(0, FEED_CAPACITY);
    } else {
      result = shown.events.filter(predicate);
    }
    cache.current = { source: shown.events, key, result };
    return result;
  }, [shown, filter, tick]);

  return { events, total: shown.events.length, waiting: latest.received - shown.received, received: latest.received };
}
