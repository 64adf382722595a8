import { useCallback, useEffect, useRef, useState, type UIEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { HeraldEvent } from '@herald/protocol';
import { EventRow, type RowActions } from './EventRow';

/** Height of a collapsed row, px: `--row-h` (44) plus its 1px border. */
const ROW_HEIGHT = 45;

interface FeedListProps extends Omit<RowActions, 'onToggle'> {
  events: readonly HeraldEvent[];
  label: string;
  /** Told whether the reader is away from the top or reading an expanded row, so the list can hold still. */
  onReadingChange: (isReading: boolean) => void;
  /** Bumped by the parent to jump back to the top (and collapse rows). */
  resetKey: number;
}

/**
 * The virtualised event list: only the rows in view (plus a few) are in the
 * DOM, so 10,000 events cost what 30 do. Rows are keyed by seq, so an
 * expanded row keeps its measured height as new rows arrive above it.
 */
export function FeedList({ events, label, onReadingChange, resetKey, ...actions }: FeedListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [isScrolled, setIsScrolled] = useState(false);

  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    // Collapsed rows all have the same height, so only expanded ones are measured:
    // measuring every row forces a layout per render, which at 1,000 events/s is most of the work.
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => events[index]?.seq ?? index,
    overscan: 12,
  });

  const isReading = isScrolled || expanded.size > 0;
  useEffect(() => onReadingChange(isReading), [isReading, onReadingChange]);
  // Gone from the page (an empty state took its place): nothing is being read any more.
  useEffect(() => () => onReadingChange(false), [onReadingChange]);

  useEffect(() => {
    if (resetKey === 0) return;
    setExpanded(new Set());
    scrollRef.current?.scrollTo({ top: 0 });
    setIsScrolled(false);
  }, [resetKey]);

  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => setIsScrolled(e.currentTarget.scrollTop > 4), []);
  // Read through a ref so the callback (and so every memoised row) stays the same as events arrive.
  const latest = useRef({ events, virtualizer });
  latest.current = { events, virtualizer };
  const onToggle = useCallback((seq: number) => {
    const shown = latest.current;
    setExpanded((current) => {
      const next = new Set(current);
      if (next.delete(seq)) {
        // Its measured (expanded) height is cached by key; collapsed, it is a plain row again.
        const index = shown.events.findIndex((e) => e.seq === seq);
        if (index >= 0) shown.virtualizer.resizeItem(index, ROW_HEIGHT);
      } else {
        next.add(seq);
      }
      return next;
    });
  }, []);

  return (
    <div ref={scrollRef} className="feed-scroll" onScroll={onScroll} tabIndex={-1}>
      <div role="list" aria-label={label} style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const event = events[item.index];
          if (!event) return null;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={expanded.has(event.seq) ? virtualizer.measureElement : undefined}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}
            >
              <EventRow event={event} isExpanded={expanded.has(event.seq)} onToggle={onToggle} {...actions} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
