import type { TargetId } from '../targets/target.js';
import type { ScenarioId } from './scenario.js';

/** The outcome of one target in one case of one scenario, one repetition. */
export interface RunResult {
  scenario: ScenarioId;
  /** Which case of the scenario (e.g. "20,000 connections"). */
  caseLabel: string;
  target: TargetId;
  rep: number;
  /** `n/a`: the target lacks the feature; `skipped`: it cannot run here; `failed`: it broke. */
  status: 'ok' | 'n/a' | 'skipped' | 'failed';
  /** Why it is not `ok`. */
  reason?: string;
  /** Named figures; units are in the names (`p99Ms`, `deliveriesPerS`). */
  metrics: Record<string, number>;
  notes: string[];
}
