import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../targets/target.js';
import { caseLabel } from './case-label.js';
import { runFanout } from './fanout-run.js';
import { runHistory } from './history-run.js';
import { runIdle } from './idle-run.js';
import { runIngest } from './ingest-run.js';
import { runResume } from './resume-run.js';
import type { RunResult } from './run-result.js';
import type { Scenario, ScenarioCase } from './scenario.js';

/** Why a target cannot take part in a case, or undefined when it can. */
export function missingFeature(target: Target, c: ScenarioCase): string | undefined {
  if (c.kind === 'ingest' && !target.hasDurableAck) return 'no durable publish acknowledgement';
  if (c.kind === 'history' && !target.hasHistory) return 'no stored history';
  if (c.kind === 'resume' && !target.hasResume) return 'no resume from a position';
  return undefined;
}

function connectionsOf(c: ScenarioCase): number {
  switch (c.kind) {
    case 'fanout':
      return c.subscribers + 100;
    case 'idle':
      return c.connections + 100;
    case 'resume':
      return c.clients + 100;
    default:
      return 1_000;
  }
}

/**
 * One target, one case, one repetition: a fresh server in a fresh temporary
 * folder, the runner, then the server stopped and the folder removed.
 */
export async function runCase(scenario: Scenario, c: ScenarioCase, target: Target, rep: number): Promise<RunResult[]> {
  const base = { scenario: scenario.id, caseLabel: caseLabel(c), target: target.id, rep };
  const workDir = mkdtempSync(join(tmpdir(), `herald-bench-${target.id}-`));
  let running;
  try {
    running = await target.start({ isDeflate: c.kind === 'fanout' && c.isDeflate, workDir, maxConnections: connectionsOf(c) });
    const notes = running.notes;
    switch (c.kind) {
      case 'fanout': {
        const r = await runFanout(running, c, scenario.timing);
        return [{ ...base, status: 'ok', metrics: r.metrics, notes: [...notes, ...r.notes] }];
      }
      case 'idle': {
        const r = await runIdle(running, c);
        return [{ ...base, status: 'ok', metrics: r.metrics, notes: [...notes, ...r.notes] }];
      }
      case 'ingest': {
        const r = await runIngest(running, c, scenario.timing);
        return [{ ...base, status: 'ok', metrics: r.metrics, notes: [...notes, ...r.notes] }];
      }
      case 'history': {
        const rows = await runHistory(running, c, scenario.timing.windowMs);
        return rows.map((r) => ({ ...base, caseLabel: r.label, status: 'ok', metrics: r.metrics, notes: [...notes, ...r.notes] }));
      }
      case 'resume': {
        const r = await runResume(running, c);
        return [{ ...base, status: 'ok', metrics: r.metrics, notes: [...notes, ...r.notes] }];
      }
      default:
        return c satisfies never;
    }
  } catch (error) {
    return [
      {
        ...base,
        status: 'failed',
        reason: (error as Error).message.split('\n')[0] ?? 'failed',
        metrics: {},
        notes: [(error as Error).message.split('\n').slice(1, 4).join(' ').slice(0, 300)].filter((n) => n.length > 0),
      },
    ];
  } finally {
    await running?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
