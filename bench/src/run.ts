import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './cli/args.js';
import { combineRuns } from './report/combine.js';
import { machineInfo } from './report/machine.js';
import { Progress } from './report/progress.js';
import { goalsSection, writeResults, type BenchReport } from './report/results-file.js';
import { scenarioTable } from './report/scenario-table.js';
import { caseLabel } from './scenarios/case-label.js';
import { catalogue } from './scenarios/catalogue.js';
import { missingFeature, runCase } from './scenarios/run-case.js';
import type { RunResult } from './scenarios/run-result.js';
import { SCENARIO_IDS } from './scenarios/scenario.js';
import { TARGET_IDS, type Target } from './targets/target.js';
import { TARGETS } from './targets/targets.js';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const parsed = parseArgs(argv, { scenarios: SCENARIO_IDS, targets: TARGET_IDS });
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const { args } = parsed;
  if (args.isHelp) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const startMs = Date.now();
  const scenarios = catalogue(args.isQuick)
    .filter((s) => args.only === undefined || args.only.includes(s.id))
    .map((s) => (args.reps === undefined ? s : { ...s, reps: args.reps }));
  const targets: Target[] = TARGET_IDS.filter((id) => args.targets === undefined || args.targets.includes(id)).map((id) => TARGETS[id]);
  const report: BenchReport = {
    date: new Date().toISOString(),
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    mode: args.isQuick ? 'quick' : 'full',
    machine: machineInfo(),
    targets,
    scenarios,
    runs: [],
    elapsedS: 0,
    loadAverage: { atStart: loadavg() },
  };
  for (const target of targets) {
    const reason = target.unavailableReason();
    if (reason !== undefined) process.stderr.write(`note: ${target.id} skipped: ${reason}\n`);
  }
  if (args.only === undefined && args.isQuick)
    process.stderr.write(`quick mode: ${scenarios.map((s) => s.id).join(', ')} with short windows; the full mode runs S1-S9\n`);

  const filterModes = Object.fromEntries(targets.map((t) => [t.id, t.filterMode]));
  const total = scenarios.reduce((sum, s) => sum + s.cases.length * s.reps * targets.length, 0);
  const progress = new Progress();
  let step = 0;
  for (const scenario of scenarios) {
    const runs: RunResult[] = [];
    for (const c of scenario.cases) {
      for (let rep = 0; rep < scenario.reps; rep++) {
        for (const target of targets) {
          step++;
          const base = { scenario: scenario.id, caseLabel: caseLabel(c), target: target.id, rep, metrics: {}, notes: [] };
          const unavailable = target.unavailableReason();
          const missing = missingFeature(target, c);
          if (unavailable !== undefined || missing !== undefined) {
            if (rep === 0 && (missing === undefined || c === scenario.cases[0])) {
              runs.push({
                ...base,
                caseLabel: missing !== undefined ? 'all' : base.caseLabel,
                status: unavailable !== undefined ? 'skipped' : 'n/a',
                reason: unavailable ?? missing,
              });
            }
            continue;
          }
          const elapsed = Math.round((Date.now() - startMs) / 1000);
          progress.show(
            `[${String(step).padStart(String(total).length)}/${total} ${elapsed}s] ${scenario.id} ${caseLabel(c)} · ${target.id} · rep ${rep + 1}/${scenario.reps}`,
          );
          runs.push(...(await runCase(scenario, c, target, rep)));
        }
      }
    }
    progress.clear();
    report.runs.push(...runs);
    process.stdout.write(`\n${scenarioTable(scenario, combineRuns(runs), filterModes)}\n`);
    report.elapsedS = (Date.now() - startMs) / 1000;
    report.loadAverage.atEnd = loadavg();
    writeResults(`${resultsDir}latest.md`, `${resultsDir}latest.json`, report);
  }
  progress.clear();
  process.stdout.write(`\n${goalsSection(report)}\n`);
  process.stdout.write(`\nwrote ${resultsDir}latest.md and latest.json in ${Math.round((Date.now() - startMs) / 1000)} s\n`);
  return 0;
}

// Ctrl-C: exit through 'exit' so started servers are killed.
process.on('SIGINT', () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
