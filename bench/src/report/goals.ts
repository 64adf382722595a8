import type { ScenarioId } from '../scenarios/scenario.js';
import type { CombinedRow } from './combine.js';
import { formatNumber } from './format.js';

/** One of issue 5's goals, checked against a run. */
export interface GoalCheck {
  scenario: ScenarioId;
  goal: string;
  measured: string;
  /** Undefined when the run lacks what the goal needs. */
  isMet: boolean | undefined;
}

type Rows = Partial<Record<ScenarioId, CombinedRow[]>>;

function figure(
  rows: Rows,
  scenario: ScenarioId,
  target: string,
  key: string,
  pick: (values: number[]) => number = (v) => v[0] ?? NaN,
  caseFilter: (label: string) => boolean = () => true,
): number {
  const values = (rows[scenario] ?? [])
    .filter((r) => r.target === target && r.status === 'ok' && caseFilter(r.caseLabel))
    .map((r) => r.metrics[key] ?? NaN);
  return values.length === 0 ? NaN : pick(values);
}

const all = (...checks: number[]): boolean | undefined => (checks.some((c) => Number.isNaN(c)) ? undefined : checks.every((c) => c >= 0));
const int = (v: number): string => formatNumber(v, 'int');
const ms = (v: number): string => `${formatNumber(v, 'ms')} ms`;
const ratio = (v: number): string => formatNumber(v, 'ratio');

/**
 * Issue 5's goals for Herald, each with the figure measured and whether it
 * holds; a check whose inputs did not run is left undecided.
 */
export function checkGoals(rows: Rows): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const add = (scenario: ScenarioId, goal: string, measured: string, isMet: boolean | undefined): void => {
    if (rows[scenario] !== undefined) checks.push({ scenario, goal, measured, isMet });
  };
  const s1p99 = figure(rows, 'S1', 'herald', 'p99Ms');
  const s1lost = figure(rows, 'S1', 'herald', 'undelivered');
  add('S1', 'p99 ≤ 2 ms, nothing undelivered', `p99 ${ms(s1p99)}, ${int(s1lost)} undelivered`, all(2 - s1p99, -s1lost));

  const s3 = figure(rows, 'S3', 'herald', 'deliveriesPerS');
  const s3once = figure(rows, 'S3', 'ws-once', 'deliveriesPerS');
  const s3sio = figure(rows, 'S3', 'socket.io', 'deliveriesPerS');
  const s3p99 = figure(rows, 'S3', 'herald', 'p99Ms');
  add(
    'S3',
    '≥ 0.8 × ws-once, ≥ 3 × socket.io, p99 ≤ 50 ms',
    `${int(s3)}/s = ${ratio(s3 / s3once)} ws-once, ${ratio(s3 / s3sio)} socket.io; p99 ${ms(s3p99)}`,
    all(s3 - 0.8 * s3once, s3 - 3 * s3sio, 50 - s3p99),
  );

  const s4 = figure(rows, 'S4', 'herald', 'deliveriesPerS');
  add('S4', '≥ 0.6 × Herald S3', `${int(s4)}/s = ${ratio(s4 / s3)} S3`, all(s4 - 0.6 * s3));

  // The largest case: a fixed start-up cost weighs least there.
  const s5rows = (rows['S5'] ?? [])
    .filter((r) => r.target === 'herald' && r.status === 'ok')
    .sort((a, b) => (b.metrics['connections'] ?? 0) - (a.metrics['connections'] ?? 0));
  const s5 = s5rows[0]?.metrics['kibPerConnection'] ?? NaN;
  add('S5', '≤ 10 KiB per idle connection', `${formatNumber(s5, 'fixed1')} KiB (largest case)`, all(10 - s5));

  const best = (v: number[]): number => Math.max(...v);
  const ws = figure(rows, 'S6', 'herald', 'eventsPerS', best, (l) => l.startsWith('WS'));
  const http = figure(rows, 'S6', 'herald', 'eventsPerS', best, (l) => l.startsWith('HTTP') && l.endsWith('1 event/request'));
  add(
    'S6',
    '≥ 50,000/s over WS with batches, ≥ 10,000/s over HTTP one event per request',
    `WS ${int(ws)}/s, HTTP ${int(http)}/s`,
    all(ws - 50_000, http - 10_000),
  );

  const s7 = figure(rows, 'S7', 'herald', 'p95Ms', best);
  add('S7', 'p95 ≤ 50 ms', `worst query p95 ${ms(s7)}`, all(50 - s7));

  const s8 = figure(rows, 'S8', 'herald', 'allCaughtUpS');
  add('S8', 'all caught up within 5 s', `${formatNumber(s8, 'fixed2')} s`, all(5 - s8));

  const s2 = figure(rows, 'S2', 'herald', 'deliveriesPerS');
  const s9 = figure(rows, 'S9', 'herald', 'deliveriesPerS');
  add('S9', '≥ 0.5 × Herald S2', `${int(s9)}/s = ${ratio(s9 / s2)} S2`, all(s9 - 0.5 * s2));
  return checks;
}
