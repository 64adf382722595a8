import { advantage } from '../stats/aggregate.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { CombinedRow } from './combine.js';
import { formatNumber, formatTable, type Column, type NumberStyle } from './format.js';

interface MetricColumn {
  title: string;
  value: (row: CombinedRow, herald: CombinedRow | undefined) => string;
}

const metric =
  (key: string, style: NumberStyle) =>
  (row: CombinedRow): string =>
    formatNumber(row.metrics[key], style);

/** "Herald × …" cell: above 1 means Herald is better; blank on Herald's own row. */
const heraldRatio =
  (key: string, isLowerBetter: boolean) =>
  (row: CombinedRow, herald: CombinedRow | undefined): string =>
    row.target === 'herald' || herald?.status !== 'ok'
      ? ''
      : formatNumber(advantage(herald.metrics[key] ?? NaN, row.metrics[key] ?? NaN, isLowerBetter), 'ratio');

const FANOUT: MetricColumn[] = [
  { title: 'subs', value: metric('subscribers', 'int') },
  { title: 'deliveries/s', value: metric('deliveriesPerS', 'int') },
  { title: 'p50 ms', value: metric('p50Ms', 'ms') },
  { title: 'p90 ms', value: metric('p90Ms', 'ms') },
  { title: 'p99 ms', value: metric('p99Ms', 'ms') },
  { title: 'max ms', value: metric('maxMs', 'ms') },
  { title: 'undelivered', value: metric('undelivered', 'int') },
  { title: 'server CPU', value: metric('serverCpuPct', 'pct') },
  { title: 'server µs/event', value: metric('serverUsPerEvent', 'fixed1') },
  { title: 'peak RSS MiB', value: metric('serverPeakRssMiB', 'int') },
  {
    title: 'gen CPU (max proc)',
    value: (r) => `${formatNumber(r.metrics['generatorCpuPct'], 'pct')} (${formatNumber(r.metrics['generatorMaxProcessCpuPct'], 'pct')})`,
  },
  { title: 'other CPU', value: metric('otherCpuPct', 'pct') },
  { title: 'Herald × deliveries/s', value: heraldRatio('deliveriesPerS', false) },
  { title: 'Herald × p99', value: heraldRatio('p99Ms', true) },
];

const IDLE: MetricColumn[] = [
  { title: 'connections', value: metric('connections', 'int') },
  { title: 'connected', value: metric('connected', 'int') },
  { title: 'RSS before MiB', value: metric('rssBeforeMiB', 'int') },
  { title: 'RSS after MiB', value: metric('rssAfterMiB', 'int') },
  { title: 'KiB/connection', value: metric('kibPerConnection', 'fixed1') },
  { title: 'connect s', value: metric('connectS', 'fixed1') },
  { title: 'Herald × KiB', value: heraldRatio('kibPerConnection', true) },
];

const INGEST: MetricColumn[] = [
  { title: 'events/s', value: metric('eventsPerS', 'int') },
  { title: 'ack p50 ms', value: metric('ackP50Ms', 'ms') },
  { title: 'ack p99 ms', value: metric('ackP99Ms', 'ms') },
  { title: 'server CPU', value: metric('serverCpuPct', 'pct') },
  { title: 'gen CPU', value: metric('generatorCpuPct', 'pct') },
  { title: 'other CPU', value: metric('otherCpuPct', 'pct') },
];

const HISTORY: MetricColumn[] = [
  { title: 'stored', value: metric('storedEvents', 'int') },
  { title: 'seed events/s', value: metric('seedEventsPerS', 'int') },
  { title: 'text index catch-up s', value: metric('indexCatchUpS', 'fixed1') },
  { title: 'requests', value: metric('requests', 'int') },
  { title: 'rows/request', value: metric('rowsPerRequest', 'int') },
  { title: 'p50 ms', value: metric('p50Ms', 'ms') },
  { title: 'p95 ms', value: metric('p95Ms', 'ms') },
  { title: 'max ms', value: metric('maxMs', 'ms') },
];

const RESUME: MetricColumn[] = [
  { title: 'clients', value: metric('clients', 'int') },
  { title: 'caught up', value: metric('caughtUp', 'int') },
  { title: 'all caught up s', value: metric('allCaughtUpS', 'fixed2') },
  { title: 'p50 s', value: metric('p50S', 'fixed2') },
  { title: 'p99 s', value: metric('p99S', 'fixed2') },
  { title: 'replayed/client', value: metric('replayedPerClient', 'int') },
  { title: 'server CPU', value: metric('serverCpuPct', 'pct') },
  { title: 'peak RSS MiB', value: metric('serverPeakRssMiB', 'int') },
  { title: 'gen CPU', value: metric('generatorCpuPct', 'pct') },
  { title: 'other CPU', value: metric('otherCpuPct', 'pct') },
];

function columnsFor(scenario: Scenario): MetricColumn[] {
  switch (scenario.cases[0]?.kind) {
    case 'idle':
      return IDLE;
    case 'ingest':
      return INGEST;
    case 'history':
      return HISTORY;
    case 'resume':
      return RESUME;
    default:
      return FANOUT;
  }
}

/** The scenario's table (Markdown), its goal, then its notes. */
export function scenarioTable(scenario: Scenario, combined: CombinedRow[], filterModes: Record<string, string>): string {
  // Targets that could not take part go last, once.
  const rows = [
    ...combined.filter((r) => r.status === 'ok' || r.status === 'failed'),
    ...combined.filter((r) => r.status === 'n/a' || r.status === 'skipped'),
  ];
  const metrics = columnsFor(scenario);
  const hasCases = new Set(rows.map((r) => r.caseLabel)).size > 1 || scenario.cases[0]?.kind === 'history';
  const isFiltered = scenario.cases.some((c) => c.kind === 'fanout' && c.isGrouped);
  const columns: Column[] = [
    ...(hasCases ? [{ title: scenario.cases[0]?.kind === 'history' ? 'query' : 'case' }] : []),
    { title: 'target' },
    ...(isFiltered ? [{ title: 'filtering' }] : []),
    ...metrics.map((m) => ({ title: m.title, isRightAligned: true })),
  ];
  const body = rows.map((row) => {
    const herald = rows.find((r) => r.target === 'herald' && r.caseLabel === row.caseLabel);
    const lead = [...(hasCases ? [row.caseLabel] : []), row.target, ...(isFiltered ? [filterModes[row.target] ?? ''] : [])];
    if (row.status !== 'ok') return [...lead, `${row.status}: ${row.reason ?? ''}`];
    return [...lead, ...metrics.map((m) => m.value(row, herald))];
  });
  const notes = rows.flatMap((row) => row.notes.map((note) => `- ${row.target}${hasCases ? ` (${row.caseLabel})` : ''}: ${note}`));
  return [
    `### ${scenario.id}: ${scenario.title}`,
    '',
    formatTable(columns, body),
    '',
    `Goal for Herald: ${scenario.goal}.`,
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}
