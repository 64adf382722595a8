/** How a figure is printed. */
export type NumberStyle = 'int' | 'ms' | 'pct' | 'ratio' | 'fixed1' | 'fixed2';

/** Formats a figure for the tables; missing figures print as an en dash. */
export function formatNumber(value: number | undefined, style: NumberStyle): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  switch (style) {
    case 'int':
      return Math.round(value).toLocaleString('en-US');
    case 'ms':
      return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
    case 'pct':
      return `${Math.round(value)}%`;
    case 'ratio':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
    case 'fixed1':
      return value.toFixed(1);
    case 'fixed2':
      return value.toFixed(2);
  }
}

/** One column of a table. */
export interface Column {
  title: string;
  isRightAligned?: boolean;
}

/**
 * A Markdown table padded so it also reads well in a terminal. Cells must not
 * contain `|` (it is escaped).
 */
export function formatTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((row) => columns.map((_, k) => (row[k] ?? '').replaceAll('|', '\\|')));
  const widths = columns.map((column, k) => Math.max(3, column.title.length, ...cells.map((row) => row[k]!.length)));
  const pad = (text: string, k: number): string =>
    columns[k]!.isRightAligned === true ? text.padStart(widths[k]!) : text.padEnd(widths[k]!);
  const line = (values: string[]): string => `| ${values.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, k) => (columns[k]!.isRightAligned === true ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(columns.map((c) => c.title)), rule, ...cells.map(line)].join('\n');
}
