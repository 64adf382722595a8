import { median } from '../stats/aggregate.js';
import type { RunResult } from '../scenarios/run-result.js';

/** The repetitions of one target in one case, folded into one row. */
export interface CombinedRow {
  caseLabel: string;
  target: RunResult['target'];
  status: RunResult['status'];
  reason?: string;
  /** Median over the `ok` repetitions. */
  metrics: Record<string, number>;
  reps: number;
  notes: string[];
}

/**
 * Folds repetitions: each metric is the median of the `ok` runs; a row is
 * `ok` when any run was. Order follows first appearance (case, then target).
 */
export function combineRuns(runs: RunResult[]): CombinedRow[] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = `${run.caseLabel}\u0000${run.target}`;
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const ok = group.filter((r) => r.status === 'ok');
    const first = group[0]!;
    const keys = [...new Set(ok.flatMap((r) => Object.keys(r.metrics)))];
    const metrics = Object.fromEntries(keys.map((k) => [k, median(ok.map((r) => r.metrics[k] ?? NaN))]));
    const row: CombinedRow = {
      caseLabel: first.caseLabel,
      target: first.target,
      status: ok.length > 0 ? 'ok' : first.status,
      metrics,
      reps: ok.length,
      notes: [...new Set(group.flatMap((r) => r.notes))],
    };
    const reason = ok.length > 0 ? undefined : first.reason;
    if (reason !== undefined) row.reason = reason;
    return row;
  });
}
