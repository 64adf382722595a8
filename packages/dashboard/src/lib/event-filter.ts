import type { HeraldEvent, Priority, Severity } from '@herald/protocol';
import type { HistoryRequest } from '@herald/client';
import { matchesAnyPattern } from './type-pattern';
import { PRIORITY_LEVELS, SEVERITY_LEVELS } from './severity';

/** Time windows offered by the filter bar, newest events within the window. */
export const TIME_RANGES = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

const RANGE_MS: Record<TimeRange, number> = {
  '5m': 5 * 60e3,
  '15m': 15 * 60e3,
  '1h': 3600e3,
  '6h': 6 * 3600e3,
  '24h': 24 * 3600e3,
  '7d': 7 * 24 * 3600e3,
};

/**
 * What the reader narrowed the events down to. One value drives the live
 * view (checked here, in the browser) and the History view (sent to the
 * server), so both always show the same slice.
 */
export interface EventFilter {
  types: string[];
  sources: string[];
  severity: Severity[];
  priority: Priority[];
  correlationId: string;
  search: string;
  range: TimeRange | '';
}

export const EMPTY_FILTER: EventFilter = { types: [], sources: [], severity: [], priority: [], correlationId: '', search: '', range: '' };

export function isFilterEmpty(filter: EventFilter): boolean {
  return (
    filter.types.length === 0 &&
    filter.sources.length === 0 &&
    filter.severity.length === 0 &&
    filter.priority.length === 0 &&
    filter.correlationId === '' &&
    filter.search.trim() === '' &&
    filter.range === ''
  );
}

// The JSON of an event's data is the costliest part of a search; it is made once per event.
const searchText = new WeakMap<HeraldEvent, string>();

function textOf(event: HeraldEvent): string {
  let text = searchText.get(event);
  if (text === undefined) {
    text = `${event.type}\n${event.source}\n${JSON.stringify(event.data ?? null)}`.toLowerCase();
    searchText.set(event, text);
  }
  return text;
}

/** A predicate for the live view; `now` fixes the time window's end. */
export function compileEventFilter(filter: EventFilter, now = Date.now()): (event: HeraldEvent) => boolean {
  const search = filter.search.trim().toLowerCase();
  const since = filter.range ? now - RANGE_MS[filter.range] : undefined;
  const severities = new Set<string>(filter.severity);
  const priorities = new Set<string>(filter.priority);
  const sources = new Set(filter.sources);
  return (event) =>
    (severities.size === 0 || severities.has(event.severity)) &&
    (priorities.size === 0 || priorities.has(event.priority)) &&
    (sources.size === 0 || sources.has(event.source)) &&
    (filter.correlationId === '' || event.correlation_id === filter.correlationId) &&
    matchesAnyPattern(filter.types, event.type) &&
    (since === undefined || Date.parse(event.time) >= since) &&
    (search === '' || textOf(event).includes(search));
}

/** The same filter as a query of the history API. */
export function toHistoryRequest(filter: EventFilter): HistoryRequest {
  const request: HistoryRequest = {};
  if (filter.types.length) request.types = filter.types;
  if (filter.sources.length) request.sources = filter.sources;
  if (filter.severity.length) request.severity = filter.severity;
  if (filter.priority.length) request.priority = filter.priority;
  if (filter.correlationId) request.correlation_id = filter.correlationId;
  if (filter.search.trim()) request.search = filter.search.trim();
  if (filter.range) request.time_range = filter.range;
  return request;
}

const list = (value: string | null): string[] =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** Reads a filter from the address bar's query string (`?severity=error,critical&q=timeout`). */
export function filterFromParams(params: URLSearchParams): EventFilter {
  const range = params.get('range') ?? '';
  return {
    types: list(params.get('types')),
    sources: list(params.get('sources')),
    severity: list(params.get('severity')).filter((s): s is Severity => (SEVERITY_LEVELS as readonly string[]).includes(s)),
    priority: list(params.get('priority')).filter((p): p is Priority => (PRIORITY_LEVELS as readonly string[]).includes(p)),
    correlationId: params.get('cid') ?? '',
    search: params.get('q') ?? '',
    range: (TIME_RANGES as readonly string[]).includes(range) ? (range as TimeRange) : '',
  };
}

/** Writes a filter into query parameters, leaving out what is empty so shared links stay short. */
export function filterToParams(filter: EventFilter, params: URLSearchParams): void {
  const set = (key: string, value: string) => (value ? params.set(key, value) : params.delete(key));
  set('types', filter.types.join(','));
  set('sources', filter.sources.join(','));
  set('severity', filter.severity.join(','));
  set('priority', filter.priority.join(','));
  set('cid', filter.correlationId);
  set('q', filter.search);
  set('range', filter.range);
}
