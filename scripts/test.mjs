#!/usr/bin/env node
// `npm test`: builds (the CLI and browser tests run the built server), runs
// every vitest project, and ends with one plain summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('npm test: the build failed; fix the errors above first.');
  process.exit(build.status ?? 1);
}
const out = mkdtempSync(join(tmpdir(), 'herald-vitest-'));
const report = join(out, 'report.json');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  console.log(`\ntests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
  if (j.numTotalTests === 0) {
    console.error('npm test: no test ran');
    process.exitCode = 1;
  }
}
rmSync(out, { recursive: true, force: true });
process.exit(r.status === 0 ? (process.exitCode ?? 0) : (r.status ?? 1));
