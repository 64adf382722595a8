import { useCallback, useMemo } from 'react';
import type uPlot from 'uplot';
import { Chart, barChartOptions, type ChartTheme } from '../../../components/ui/Chart';
import type { KeyCount } from '../hooks/useStats';

/**
 * Counts per key as coloured bars, with the same numbers as a list beside
 * them, for screen readers and for exact values.
 */
export function DistributionChart({
  title,
  counts,
  colorFor,
  order,
}: {
  title: string;
  counts: readonly KeyCount[];
  colorFor?: (key: string) => string | undefined;
  order?: readonly string[];
}) {
  const rows = useMemo(() => {
    if (!order) return counts;
    const byKey = new Map(counts.map((c) => [c.key, c.count]));
    return order.map((key) => ({ key, count: byKey.get(key) ?? 0 }));
  }, [counts, order]);
  const labels = useMemo(() => rows.map((r) => r.key), [rows]);
  const labelKey = labels.join('\u0000');
  const data = useMemo<uPlot.AlignedData>(() => [rows.map((_, i) => i), rows.map((r) => r.count)], [rows]);
  const makeOptions = useCallback(
    (t: ChartTheme) => {
      const keys = labelKey.split('\u0000');
      return barChartOptions(
        t,
        keys,
        keys.map((k) => colorFor?.(k) ?? t.accent),
        title,
      );
    },
    [labelKey, title, colorFor],
  );
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return (
    <>
      {rows.length > 0 && (
        <Chart
          makeOptions={makeOptions}
          data={data}
          height={180}
          label={`${title}: ${rows.map((r) => `${r.key} ${r.count}`).join(', ')}`}
        />
      )}
      <ul className="legend-list" aria-label={title} style={{ listStyle: 'none', padding: 0, margin: '8px 0 0' }}>
        {rows.map((r) => (
          <li key={r.key} style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }} data-testid="distribution-row">
            <span style={{ display: 'flex', alignItems: 'center', gap: 6, minWidth: 0 }}>
              <span
                aria-hidden="true"
                style={{ width: 10, height: 10, borderRadius: 3, background: colorFor?.(r.key) ?? 'var(--accent)', flex: 'none' }}
              />
              <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{r.key}</span>
            </span>
            <span style={{ fontVariantNumeric: 'tabular-nums' }}>
              {r.count}
              {total > 0 && <span style={{ color: 'var(--muted)' }}> · {Math.round((r.count / total) * 100)}%</span>}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
