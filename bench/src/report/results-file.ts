import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Scenario } from '../scenarios/scenario.js';
import type { RunResult } from '../scenarios/run-result.js';
import type { Target } from '../targets/target.js';
import { HERALD_BENCH_LIMITS } from '../targets/herald-target.js';
import { combineRuns, type CombinedRow } from './combine.js';
import { formatTable } from './format.js';
import { checkGoals } from './goals.js';
import type { MachineInfo } from './machine.js';
import { scenarioTable } from './scenario-table.js';

/** Everything one bench invocation produced. */
export interface BenchReport {
  date: string;
  command: string;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  targets: Target[];
  scenarios: Scenario[];
  runs: RunResult[];
  /** Whole run, seconds. */
  elapsedS: number;
  /**
   * The machine's 1/5/15-minute load averages when the run started and
   * after its last scenario: on a shared machine they say how far to trust
   * absolute figures (ratios within the run hold better).
   */
  loadAverage: { atStart: number[]; atEnd?: number[] };
}

function formatLoad(load: number[]): string {
  return load.map((v) => v.toFixed(2)).join(' / ');
}

function header(report: BenchReport): string {
  const m = report.machine;
  const versions = Object.entries(m.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    `# Herald benchmark (${report.mode} mode)`,
    '',
    `- date: ${report.date}`,
    `- command: \`${report.command}\``,
    `- machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB, Linux ${m.kernel}`,
    `- node ${m.node}; ${versions}`,
    `- elapsed: ${Math.round(report.elapsedS)} s`,
    `- load average (1/5/15 min): ${formatLoad(report.loadAverage.atStart)} at the start${
      report.loadAverage.atEnd === undefined ? '' : `, ${formatLoad(report.loadAverage.atEnd)} after the last scenario`
    } (2 cores: above 2 the run competed for CPU)`,
    '',
    'Targets (each started fresh per run, on loopback; runs interleaved A B C A B C; cells are medians of the repetitions):',
    '',
    ...report.targets.map((t) => `- **${t.id}**: ${t.summary}`),
    '',
    `Herald runs with bench limits: ${Object.entries(HERALD_BENCH_LIMITS)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )} (all bench connections share one admin token). Latency is publisher send to subscriber read, on the shared monotonic clock. "Herald ×" above 1 means Herald is better. "gen CPU" is the load generator's own CPU (100% = one core); near 100% in one process means the generator, not the server, was the limit. "other CPU" is what the rest of the machine used in the window (other workloads, kernel softirq time); with 2 cores, a high figure there means the run competed for CPU.`,
  ].join('\n');
}

/** The Markdown report: header, then one table per scenario that ran. */
export function renderMarkdown(report: BenchReport): string {
  const filterModes = Object.fromEntries(report.targets.map((t) => [t.id, t.filterMode]));
  const sections = report.scenarios
    .map((scenario) => ({ scenario, runs: report.runs.filter((r) => r.scenario === scenario.id) }))
    .filter((s) => s.runs.length > 0)
    .map((s) => scenarioTable(s.scenario, combineRuns(s.runs), filterModes));
  return `${[header(report), goalsSection(report), ...sections].join('\n\n')}\n`;
}

/** Issue 5's goals for Herald against this run. */
export function goalsSection(report: BenchReport): string {
  const rows: Partial<Record<Scenario['id'], CombinedRow[]>> = {};
  for (const scenario of report.scenarios) {
    const runs = report.runs.filter((r) => r.scenario === scenario.id);
    if (runs.length > 0) rows[scenario.id] = combineRuns(runs);
  }
  const checks = checkGoals(rows);
  if (checks.length === 0) return '## Goals\n\nNo scenario with a goal ran.';
  const verdict = (isMet: boolean | undefined): string => (isMet === undefined ? '–' : isMet ? 'met' : 'not met');
  return [
    '## Goals (issue 5)',
    '',
    formatTable(
      [{ title: 'scenario' }, { title: 'goal' }, { title: 'measured' }, { title: 'verdict' }],
      checks.map((c) => [c.scenario, c.goal, c.measured, verdict(c.isMet)]),
    ),
  ].join('\n');
}

/** Writes `latest.md` and `latest.json` atomically (a crash mid-write leaves the previous files). */
export function writeResults(mdPath: string, jsonPath: string, report: BenchReport): void {
  mkdirSync(dirname(mdPath), { recursive: true });
  const json = {
    date: report.date,
    command: report.command,
    mode: report.mode,
    machine: report.machine,
    elapsedS: report.elapsedS,
    loadAverage: report.loadAverage,
    heraldBenchLimits: HERALD_BENCH_LIMITS,
    targets: report.targets.map(({ id, summary, filterMode }) => ({ id, summary, filterMode })),
    scenarios: report.scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      goal: s.goal,
      timing: s.timing,
      reps: s.reps,
      rows: combineRuns(report.runs.filter((r) => r.scenario === s.id)),
    })),
    goals: checkGoals(
      Object.fromEntries(
        report.scenarios
          .map((s) => [s.id, combineRuns(report.runs.filter((r) => r.scenario === s.id))])
          .filter(([, rows]) => (rows as CombinedRow[]).length > 0),
      ),
    ),
    runs: report.runs,
  };
  for (const [path, text] of [
    [mdPath, renderMarkdown(report)],
    [jsonPath, `${JSON.stringify(json, null, 1)}\n`],
  ] as const) {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  }
}
