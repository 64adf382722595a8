import type { HeraldEvent } from '@herald/protocol';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const ms = String(date.getMilliseconds()).padStart(3, '0');
  return `${timeFormat.format(date)}.${ms}`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

const numberFormat = new Intl.NumberFormat();
export const formatNumber = (n: number): string => numberFormat.format(n);

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${Math.floor(seconds % 60)}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d ${Math.floor((seconds % 86400) / 3600)}h`;
}

// Fields publishers commonly use for a human line, in order of preference.
const SUMMARY_KEYS = ['message', 'summary', 'title', 'description', 'text', 'status', 'new_status', 'action', 'name'];

/** One line that says what happened, taken from the data: a message-like field, else its first few fields. */
export function summarize(event: HeraldEvent, maxLength = 160): string {
  const data = event.data;
  if (data === null || data === undefined) return '';
  if (typeof data !== 'object') return clip(String(data), maxLength);
  const record = data as Record<string, unknown>;
  for (const key of SUMMARY_KEYS) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return clip(value, maxLength);
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (parts.join(' ').length > maxLength) break;
    parts.push(
      `${key}=${typeof value === 'object' && value !== null ? (Array.isArray(value) ? `[${value.length}]` : '{…}') : String(value)}`,
    );
  }
  return clip(parts.join(' '), maxLength);
}

function clip(text: string, maxLength: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}
