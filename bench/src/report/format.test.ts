import { describe, expect, it } from 'vitest';
import { formatNumber, formatTable } from './format.js';

describe('formatNumber', () => {
  it('prints each style with sensible precision', () => {
    expect(formatNumber(1_234_567.4, 'int')).toBe('1,234,567');
    expect(formatNumber(1.234, 'ms')).toBe('1.23');
    expect(formatNumber(12.34, 'ms')).toBe('12.3');
    expect(formatNumber(1234.5, 'ms')).toBe('1,235');
    expect(formatNumber(87.6, 'pct')).toBe('88%');
    expect(formatNumber(0.8123, 'ratio')).toBe('0.81×');
  });

  it('prints a dash for missing figures', () => {
    expect(formatNumber(NaN, 'int')).toBe('–');
    expect(formatNumber(undefined, 'ms')).toBe('–');
  });
});

describe('formatTable', () => {
  it('pads columns, right-aligns numbers and escapes pipes', () => {
    const table = formatTable(
      [{ title: 'target' }, { title: 'n', isRightAligned: true }],
      [
        ['herald', '1,000'],
        ['a|b', '7'],
      ],
    );
    expect(table).toBe(['| target |     n |', '| ------ | ----: |', '| herald | 1,000 |', '| a\\|b   |     7 |'].join('\n'));
  });
});
