import type { ScenarioId } from '../scenarios/scenario.js';
import type { CombinedRow } from './combine.js';
import { WS_DEFAULT_SUFFIX } from '../scenarios/case-label.js';
import { formatNumber } from './format.js';

const CLIENT_KINDS = ['minimal', 'ws-default'] as const;

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
  // S1, S3 and S5 run with both clients; each kind is judged on its own, against peers of the same run and kind.
  let s3 = NaN;
  for (const kind of CLIENT_KINDS) {
    const isKind = (label: string): boolean => label.includes(WS_DEFAULT_SUFFIX) === (kind === 'ws-default');
    const suffix = kind === 'ws-default' ? ' (ws client defaults)' : '';
    const has = (scenario: ScenarioId): boolean => (rows[scenario] ?? []).some((r) => r.target === 'herald' && isKind(r.caseLabel));
    const at = (scenario: ScenarioId, target: string, key: string): number => figure(rows, scenario, target, key, undefined, isKind);
    if (has('S1')) {
      const p99 = at('S1', 'herald', 'p99Ms');
      const lost = at('S1', 'herald', 'undelivered');
      add('S1', `p99 ≤ 2 ms, nothing undelivered${suffix}`, `p99 ${ms(p99)}, ${int(lost)} undelivered`, all(2 - p99, -lost));
    }
    if (has('S3')) {
      const herald = at('S3', 'herald', 'deliveriesPerS');
      const once = at('S3', 'ws-once', 'deliveriesPerS');
      const sio = at('S3', 'socket.io', 'deliveriesPerS');
      const p99 = at('S3', 'herald', 'p99Ms');
      if (kind === 'minimal') s3 = herald;
      add(
        'S3',
        `≥ 0.8 × ws-once, ≥ 3 × socket.io, p99 ≤ 50 ms${suffix}`,
        `${int(herald)}/s = ${ratio(herald / once)} ws-once, ${ratio(herald / sio)} socket.io; p99 ${ms(p99)}`,
        all(herald - 0.8 * once, herald - 3 * sio, 50 - p99),
      );
    }
    if (has('S5')) {
      // Every size must hold: the worst case decides.
      const worst = figure(rows, 'S5', 'herald', 'kibPerConnection', (v) => Math.max(...v), isKind);
      add('S5', `≤ 10 KiB per idle connection${suffix}`, `${formatNumber(worst, 'fixed1')} KiB (worst case)`, all(10 - worst));
    }
  }

  const s4 = figure(rows, 'S4', 'herald', 'deliveriesPerS');
  add('S4', '≥ 0.6 × Herald S3', `${int(s4)}/s = ${ratio(s4 / s3)} S3`, all(s4 - 0.6 * s3));

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
