import type { HeraldEvent } from '@herald/protocol';
import { describe, expect, it } from 'vitest';
import { formatEventLine, summarizeData } from './format-event-line.js';

const event: HeraldEvent = {
  id: '01JD7X4M2R9Q0V8B5N6K3W1T2Y',
  seq: 1834,
  type: 'mcp_status_change',
  category: 'mcp',
  source: 'mcp-monitor',
  time: '2026-11-21T12:00:00.042Z',
  severity: 'error',
  priority: 'high',
  data: { mcp_name: 'oracle_mcp', old_status: 'active', new_status: 'inactive' },
};

const plain = { color: false, timeZone: 'utc' } as const;

describe('formatEventLine', () => {
  it('shows time, severity, type, source, seq and the data', () => {
    expect(formatEventLine(event, plain)).toBe(
      '12:00:00.042 ERROR    mcp_status_change mcp-monitor #1834 mcp_name=oracle_mcp old_status=active new_status=inactive',
    );
  });

  it('pads the severity so that types line up', () => {
    const info = formatEventLine({ ...event, severity: 'info' }, plain);
    const critical = formatEventLine({ ...event, severity: 'critical' }, plain);
    expect(info.indexOf('mcp_status_change')).toBe(critical.indexOf('mcp_status_change'));
  });

  it('cuts the line to the terminal width with an ellipsis', () => {
    const line = formatEventLine(event, { ...plain, columns: 70 });
    expect(line).toHaveLength(70);
    expect(line).toBe('12:00:00.042 ERROR    mcp_status_change mcp-monitor #1834 mcp_name=or…');
  });

  it('cuts inside an earlier field on a very narrow terminal', () => {
    expect(formatEventLine(event, { ...plain, columns: 20 })).toBe('12:00:00.042 ERROR …');
    expect(formatEventLine(event, { ...plain, columns: 8 })).toBe('12:00:0…');
  });

  it('does not count colour codes toward the width', () => {
    const coloured = formatEventLine(event, { color: true, timeZone: 'utc', columns: 70 });
    // eslint-disable-next-line no-control-regex
    const visible = coloured.replace(/\u001b\[[0-9;]*m/g, '');
    expect(coloured).not.toBe(visible);
    expect(visible).toBe(formatEventLine(event, { ...plain, columns: 70 }));
  });

  it('colours each severity differently', () => {
    const lines = (['debug', 'info', 'success', 'warning', 'error', 'critical'] as const).map((severity) =>
      formatEventLine({ ...event, severity, data: {} }, { color: true, timeZone: 'utc' }).split(' ').slice(0, 2).join(' '),
    );
    expect(new Set(lines).size).toBe(6);
  });

  it('escapes control characters so that a publisher cannot drive the terminal', () => {
    const line = formatEventLine({ ...event, source: 'evil\u001b[2J', data: { m: 'a\u009bb' } }, plain);
    // eslint-disable-next-line no-control-regex -- the test is about control characters
    expect(line).not.toMatch(/[\u001b\u009b]/);
    expect(line).toContain('evil\\u001b[2J');
  });

  it('leaves out an empty data summary', () => {
    expect(formatEventLine({ ...event, data: {} }, plain)).toBe('12:00:00.042 ERROR    mcp_status_change mcp-monitor #1834');
  });
});

describe('summarizeData', () => {
  it('quotes strings with spaces and shows nested values as JSON', () => {
    expect(summarizeData({ msg: 'connection lost', n: 3, tags: ['a'], meta: { ok: true }, none: null })).toBe(
      'msg="connection lost" n=3 tags=["a"] meta={"ok":true} none=null',
    );
  });

  it('shows data that is not an object as JSON', () => {
    expect(summarizeData('hello')).toBe('"hello"');
    expect(summarizeData([1, 2])).toBe('[1,2]');
    expect(summarizeData(42)).toBe('42');
    expect(summarizeData(null)).toBe('');
  });
});
