import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useResolvedTheme, type ResolvedTheme } from '../../app/theme';

/** Colours the charts take from the active theme's CSS variables. */
export interface ChartTheme {
  theme: ResolvedTheme;
  text: string;
  grid: string;
  accent: string;
}

function readTheme(theme: ResolvedTheme): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return { theme, text: v('--muted'), grid: v('--line'), accent: v('--accent') };
}

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

/**
 * A uPlot chart that fills its container's width. `makeOptions` runs again
 * when the theme changes (colours are baked into the canvas); new `data`
 * only redraws.
 */
export function Chart({
  makeOptions,
  data,
  height,
  label,
  className = 'chart',
}: {
  makeOptions: (theme: ChartTheme) => ChartOptions;
  data: uPlot.AlignedData;
  height: number;
  label: string;
  className?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;
  const theme = useResolvedTheme();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const chart = new uPlot({ ...makeOptions(readTheme(theme)), width: Math.max(100, el.clientWidth), height }, latestData.current, el);
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      const width = Math.max(100, el.clientWidth);
      if (width !== chart.width) chart.setSize({ width, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [makeOptions, theme, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div ref={box} className={className} role="img" aria-label={label} style={{ minHeight: height }} />;
}

/** Axis styling shared by every chart. */
export function axis(t: ChartTheme, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return {
    stroke: t.text,
    grid: { stroke: t.grid, width: 1 },
    ticks: { stroke: t.grid, width: 1 },
    font: '11px system-ui, sans-serif',
    ...extra,
  };
}

/** Options for a categorical bar chart: one bar per label, each in its own colour. */
export function barChartOptions(t: ChartTheme, labels: readonly string[], colors: readonly string[], seriesLabel: string): ChartOptions {
  // Long names (types, sources) would overlap side by side: slant them.
  const isLong = labels.length > 4 && labels.some((l) => l.length > 6);
  const fill = (_u: uPlot, _s: number, i0: number, i1: number) => colors.slice(i0, i1 + 1) as string[];
  return {
    legend: { show: false },
    cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
    },
    axes: [
      axis(t, {
        splits: () => labels.map((_, i) => i),
        values: (_u, splits) => splits.map((i) => shorten(labels[i] ?? '', 16)),
        grid: { show: false },
        gap: 4,
        ...(isLong ? { rotate: -35, size: 80 } : {}),
      }),
      axis(t, { size: 44 }),
    ],
    series: [
      {},
      {
        label: seriesLabel,
        width: 0,
        fill: t.accent,
        paths: uPlot.paths.bars!({
          size: [0.7, 56],
          radius: 0.15,
          disp: { fill: { unit: 3 as uPlot.Series.BarsPathBuilderFacetUnit, values: fill } },
        }),
        points: { show: false },
      },
    ],
  };
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
