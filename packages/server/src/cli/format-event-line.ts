import type { HeraldEvent } from '@herald/protocol';
import { createColors } from 'picocolors';

export interface FormatEventLineOptions {
  /** Add ANSI colours. */
  color: boolean;
  /** Terminal width in characters; the line is cut to it. Unset: never cut. */
  columns?: number;
  /** Clock the time is shown in; default `local`. */
  timeZone?: 'local' | 'utc';
}

type Paint = (text: string) => string;

const SEVERITY_WIDTH = 'CRITICAL'.length;

function severityPaint(severity: string, c: ReturnType<typeof createColors>): Paint {
  switch (severity) {
    case 'debug':
      return c.gray;
    case 'info':
      return c.cyan;
    case 'success':
      return c.green;
    case 'warning':
      return c.yellow;
    case 'error':
      return c.red;
    case 'critical':
      return (s) => c.bold(c.white(c.bgRed(s)));
    default:
      return (s) => s;
  }
}

/** Paints the text but not its padding, so a background colour stops at the word. */
function paddedPaint(paint: Paint): Paint {
  return (text) => {
    const word = text.trimEnd();
    return paint(word) + text.slice(word.length);
  };
}

/**
 * Control characters (C0, DEL and C1) written as `\u001b`: event text comes
 * from publishers, and a raw ESC or CSI would let one drive the terminal.
 */
function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function showScalar(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * A one-line summary of an event's data: `key=value` pairs for an object,
 * strings bare when they have no spaces, nested values as compact JSON.
 *
 * @example summarizeData({ mcp_name: 'oracle', latency_ms: 512 }) // 'mcp_name=oracle latency_ms=512'
 */
export function summarizeData(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'object' && !Array.isArray(data)) {
    return Object.entries(data as Record<string, unknown>)
      .map(([key, value]) => `${showScalar(key)}=${showScalar(value)}`)
      .join(' ');
  }
  return typeof data === 'string' ? JSON.stringify(data) : showScalar(data);
}

function clockTime(iso: string, timeZone: 'local' | 'utc'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '??:??:??.???';
  const utc = timeZone === 'utc';
  const parts = utc
    ? [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getHours(), date.getMinutes(), date.getSeconds()];
  const ms = utc ? date.getUTCMilliseconds() : date.getMilliseconds();
  return `${parts.map((n) => String(n).padStart(2, '0')).join(':')}.${String(ms).padStart(3, '0')}`;
}

/**
 * One line for `herald tail`: time, severity, type, source, seq and a
 * summary of the data, cut to the terminal width with `…`. Colours are
 * applied after cutting so that escape codes never count toward the width.
 *
 * @example
 * formatEventLine(event, { color: false, timeZone: 'utc' })
 * // '12:00:00.000 ERROR    mcp_status_change mcp-monitor #1834 mcp_name=oracle_mcp'
 */
export function formatEventLine(event: HeraldEvent, options: FormatEventLineOptions): string {
  const c = createColors(options.color);
  const segments: Array<[string, Paint]> = [
    [clockTime(event.time, options.timeZone ?? 'local'), c.dim],
    [event.severity.toUpperCase().padEnd(SEVERITY_WIDTH), paddedPaint(severityPaint(event.severity, c))],
    [event.type, c.bold],
    [event.source, c.magenta],
    [`#${event.seq}`, c.dim],
    [summarizeData(event.data), (s) => s],
  ];
  let room = options.columns === undefined ? Number.POSITIVE_INFINITY : Math.max(options.columns, 1);
  const out: string[] = [];
  for (const [raw, paint] of segments) {
    const text = escapeControls(raw);
    if (!text) continue;
    const needed = (out.length > 0 ? 1 : 0) + text.length;
    if (needed <= room) {
      out.push(paint(text));
      room -= needed;
      continue;
    }
    const separator = out.length > 0 ? 1 : 0;
    const fits = room - separator - 1;
    if (fits > 0) out.push(paint(`${text.slice(0, fits)}…`));
    else if (room - separator >= 1) out.push('…');
    break;
  }
  return out.join(' ');
}
