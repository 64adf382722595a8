import { useCallback, useMemo } from 'react';
import uPlot from 'uplot';
import { Chart, axis, type ChartTheme } from '../../../components/ui/Chart';
import type { EventStats } from '../hooks/useStats';

/** Events per bucket over the window, as bars on a time axis. */
export function TimelineChart({ stats }: { stats: EventStats }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [stats.timeline.map((p) => Date.parse(p.time) / 1000), stats.timeline.map((p) => p.count)],
    [stats],
  );
  const perLabel =
    stats.bucket_s === 60
      ? 'Events per minute'
      : `Events per ${stats.bucket_s >= 60 ? `${stats.bucket_s / 60} min` : `${stats.bucket_s} s`}`;
  const makeOptions = useCallback(
    (t: ChartTheme) => ({
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { y: { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(4, max * 1.15)] } },
      axes: [axis(t), axis(t, { size: 48 })],
      series: [
        {},
        {
          label: perLabel,
          stroke: t.accent,
          fill: `${t.accent}55`,
          width: 1,
          paths: uPlot.paths.bars!({ size: [0.85, 40], align: 1 }),
          points: { show: false },
        },
      ],
    }),
    [perLabel],
  );
  const peak = Math.max(0, ...stats.timeline.map((p) => p.count));
  return (
    <Chart
      makeOptions={makeOptions}
      data={data}
      height={240}
      className="chart chart-tall"
      label={`${perLabel}: ${stats.total} events in the window, at most ${peak} in one bucket`}
    />
  );
}
