#!/usr/bin/env node
// `npm start`: builds what is missing or stale, then serves Herald with its
// embedded defaults (SQLite in ./data, in-memory bus, generated admin token).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(join(root, 'packages/server/dist/bin/herald.js'))) console.log('Building Herald (first start only)…');
// Incremental: a no-op when nothing changed.
run(process.execPath, [tsc, '-b', 'packages/protocol', 'packages/server', 'packages/client']);
const dashboard = join(root, 'packages/dashboard');
if (existsSync(join(dashboard, 'vite.config.ts')) && !existsSync(join(dashboard, 'dist/index.html'))) {
  console.log('Building the dashboard (first start only)…');
  run('npm', ['run', 'build', '-w', '@herald/dashboard']);
}
const server = spawnSync(process.execPath, [join(root, 'packages/server/dist/bin/herald.js'), 'serve', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(server.status ?? 0);
