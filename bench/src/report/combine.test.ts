import { describe, expect, it } from 'vitest';
import type { RunResult } from '../scenarios/run-result.js';
import { combineRuns } from './combine.js';

const run = (target: RunResult['target'], rep: number, value: number, status: RunResult['status'] = 'ok'): RunResult => ({
  scenario: 'S1',
  caseLabel: 'c',
  target,
  rep,
  status,
  metrics: status === 'ok' ? { x: value } : {},
  notes: [`note ${target}`],
});

describe('combineRuns', () => {
  it('takes the median of the ok repetitions per target, keeping target order', () => {
    const rows = combineRuns([run('herald', 0, 1), run('nats', 0, 10), run('herald', 1, 3), run('nats', 1, 0, 'failed')]);
    expect(rows.map((r) => [r.target, r.metrics['x'], r.reps, r.status])).toEqual([
      ['herald', 2, 2, 'ok'],
      ['nats', 10, 1, 'ok'],
    ]);
    expect(rows[0]!.notes).toEqual(['note herald']);
  });

  it('keeps the status and reason when no repetition succeeded', () => {
    const failed = { ...run('herald', 0, 0, 'failed'), reason: 'crashed' };
    expect(combineRuns([failed])[0]).toMatchObject({ status: 'failed', reason: 'crashed', reps: 0 });
  });
});
