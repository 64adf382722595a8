import { useCallback, useMemo } from 'react';
import type uPlot from 'uplot';
import { Chart, type ChartTheme } from './Chart';

/** A small line with no axes: the shape of a metric over the last minutes. */
export function Sparkline({ times, values, label }: { times: readonly number[]; values: readonly number[]; label: string }) {
  const data = useMemo<uPlot.AlignedData>(() => [times as number[], values as number[]], [times, values]);
  const makeOptions = useCallback(
    (t: ChartTheme) => ({
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      axes: [{ show: false }, { show: false }],
      scales: { y: { range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => [Math.min(0, min), max <= 0 ? 1 : max * 1.15] } },
      series: [{}, { stroke: t.accent, width: 2, fill: `${t.accent}33`, points: { show: false } }],
      padding: [4, 0, 2, 0] as uPlot.Padding,
    }),
    [],
  );
  if (times.length < 2) return <div className="sparkline" aria-hidden="true" />;
  return <Chart makeOptions={makeOptions} data={data} height={44} className="sparkline" label={label} />;
}
