#!/usr/bin/env node
// `npm run bench:dashboard [-- --quick]`: measures the dashboard against the
// budgets of its issue, in headless Chromium (Debian's /usr/bin/chromium):
//   - JavaScript shipped, gzipped          ≤ 250 KB
//   - first meaningful render (localhost) ≤ 1 s   (navigation to the first event row)
//   - 1,000 events/s for 60 s (--quick: 10 s): long tasks < 50 ms
//   - JS heap with 10,000 events held      ≤ 100 MB
// Timings live here, never in tests. Exits 1 when a budget is missed.
// The browser globals belong to the functions that run inside the page.
/* global window, document, performance, PerformanceObserver, MutationObserver, requestAnimationFrame, fetch, clearTimeout */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const isQuick = args.has('--quick');
const FEED_SECONDS = isQuick ? 10 : 60;
const RATE = 1000;
const TICK_MS = 100;
const HELD = 10_000;
const CHROMIUM = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';
const TOKEN = 'bench-dashboard-token-0123456789';
const BUDGET = { bundleKb: 250, firstRenderMs: 1000, longTaskMs: 50, heapMb: 100 };

function buildIfNeeded() {
  const server = join(root, 'packages/server/dist/bin/herald.js');
  const dashboard = join(root, 'packages/dashboard/dist/index.html');
  if (existsSync(server) && existsSync(dashboard)) return;
  console.log('Building Herald and the dashboard…');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function bundleSize() {
  const dir = join(root, 'packages/dashboard/dist/assets');
  let raw = 0;
  let gz = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const bytes = readFileSync(join(dir, name));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { rawKb: raw / 1024, gzipKb: gz / 1024 };
}

/** Starts `herald serve` on a free port with a throwaway data folder; resolves with its URL. */
function startServer(dataDir) {
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/server/dist/bin/herald.js'),
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-format',
      'json',
      '--log-level',
      'info',
    ],
    {
      cwd: root,
      env: { ...process.env, HERALD_ADMIN_TOKEN: TOKEN, HERALD_METRICS_EVENT_INTERVAL_MS: '5000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the server did not say where it listens within 20 s')), 20_000);
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      for (const line of buffer.split('\n')) {
        try {
          const entry = JSON.parse(line);
          if (entry.url) {
            clearTimeout(timer);
            child.stdout.resume();
            resolve({ child, url: entry.url });
            return;
          }
        } catch {
          // not a JSON log line (yet)
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited with code ${code}`)));
  });
}

async function publish(url, events) {
  const res = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  if (res.status !== 202) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
}

const SEVERITIES = ['debug', 'info', 'info', 'success', 'warning', 'error'];
let counter = 0;
function makeEvents(n) {
  return Array.from({ length: n }, () => {
    const i = counter++;
    return {
      type: ['agent_request', 'agent_response', 'mcp_health_check', 'repo.commit.created', 'claude.command.executed'][i % 5],
      source: `bench-${i % 7}`,
      severity: SEVERITIES[i % SEVERITIES.length],
      correlation_id: `req-${i % 500}`,
      data: { n: i, message: `bench event ${i} with some text to render`, latency_ms: i % 900, agent: `agent-${i % 11}` },
    };
  });
}

// Runs in the page before anything else: collects long tasks and the moment the first event row appears.
function pageProbe() {
  window.__bench = { longTasks: [], firstRowAt: undefined };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const seen = new MutationObserver(() => {
    if (document.querySelector('[data-testid="event-row"]')) {
      window.__bench.firstRowAt = performance.now();
      seen.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => seen.observe(document.body, { childList: true, subtree: true }));
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    console.error(`bench:dashboard needs Chromium at ${CHROMIUM} (apt-get install chromium), or set HERALD_CHROMIUM.`);
    process.exit(1);
  }
  buildIfNeeded();
  const bundle = bundleSize();
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-dashboard-'));
  const { child, url } = await startServer(dataDir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    // Something to render at once, as a person opening a running deployment would see.
    await publish(url, makeEvents(100));
    // Warm the browser process up on another page, so the render time is the page's, not Chromium's start.
    const warmup = await browser.newContext();
    await (await warmup.newPage()).goto(`${url}/health`);
    await warmup.close();
    // A fresh context: empty HTTP cache and storage, as on a first visit.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(pageProbe);
    const cdp = await context.newCDPSession(page);
    await page.goto(`${url}/#token=${TOKEN}`);
    await page.waitForSelector('[data-testid="event-row"]', { timeout: 15_000 });
    const firstRenderMs = await page.evaluate(() => window.__bench.firstRowAt);
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    const feedStart = await page.evaluate(() => performance.now());

    console.log(`Feeding ${RATE} events/s for ${FEED_SECONDS} s…`);
    if (process.env.BENCH_PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const perTick = (RATE * TICK_MS) / 1000;
    const started = Date.now();
    let sent = 0;
    let heapAtHeld;
    for (let tick = 0; Date.now() - started < FEED_SECONDS * 1000; tick++) {
      const due = started + tick * TICK_MS;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await publish(url, makeEvents(perTick));
      sent += perTick;
      if (tick % 10 === 0 && process.env.BENCH_DEBUG) console.log('held', await heldCount(page));
    }
    await page.waitForTimeout(1000);
    if (process.env.BENCH_PROFILE) printProfile((await cdp.send('Profiler.stop')).profile);
    // Long tasks first: the forced garbage collection of the heap reading is one itself.
    const tasks = await page.evaluate((t0) => window.__bench.longTasks.filter((t) => t.start >= t0), feedStart);
    if (process.env.BENCH_DEBUG)
      console.log(tasks.map((t) => `${((t.start - feedStart) / 1000).toFixed(2)}s ${t.duration.toFixed(0)}ms`).join('\n'));
    const held = await heldCount(page);
    const heapEnd = await heapMb(cdp);
    heapAtHeld = held >= HELD ? heapEnd : undefined;
    // A click must still be answered promptly at the end of the flood.
    const clickMs = await page.evaluate(async () => {
      const button = document.querySelector('[data-testid="pause-toggle"]');
      const t0 = performance.now();
      button.click();
      await new Promise((r) => requestAnimationFrame(() => r()));
      return performance.now() - t0;
    });
    const maxTask = tasks.reduce((m, t) => Math.max(m, t.duration), 0);

    const rows = [
      [
        'JS bundle (gzipped)',
        `${bundle.gzipKb.toFixed(1)} KB (raw ${bundle.rawKb.toFixed(0)} KB)`,
        `≤ ${BUDGET.bundleKb} KB`,
        bundle.gzipKb <= BUDGET.bundleKb,
      ],
      [
        'first meaningful render',
        `${firstRenderMs.toFixed(0)} ms (first paint ${paint === null ? '–' : `${paint.toFixed(0)} ms`})`,
        `≤ ${BUDGET.firstRenderMs} ms`,
        firstRenderMs <= BUDGET.firstRenderMs,
      ],
      [
        `long tasks during ${sent} events`,
        `${tasks.length}, longest ${maxTask.toFixed(0)} ms`,
        `< ${BUDGET.longTaskMs} ms`,
        maxTask < BUDGET.longTaskMs,
      ],
      [
        `JS heap at ${HELD.toLocaleString()} events held`,
        heapAtHeld === undefined ? `not reached (held ${held})` : `${heapAtHeld.toFixed(1)} MB after GC`,
        `≤ ${BUDGET.heapMb} MB`,
        heapAtHeld !== undefined && heapAtHeld <= BUDGET.heapMb,
      ],
      ['click answered after the flood', `${clickMs.toFixed(0)} ms`, 'info', true],
    ];
    console.log(
      `\nHerald dashboard budgets (${isQuick ? 'quick, ' : ''}${FEED_SECONDS} s at ${RATE} events/s, Chromium headless, localhost)`,
    );
    // Long tasks and render time stretch when the machine is busy; say how busy it was.
    console.log(`  machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} (server, browser and feeder share them)`);
    for (const [name, value, budget, ok] of rows)
      console.log(`  ${ok ? 'ok  ' : 'OVER'}  ${name.padEnd(36)} ${value.padEnd(40)} ${budget}`);
    console.log(
      JSON.stringify({
        bundle_gzip_kb: +bundle.gzipKb.toFixed(1),
        first_render_ms: Math.round(firstRenderMs),
        long_tasks: tasks.length,
        longest_task_ms: Math.round(maxTask),
        heap_mb_at_held: heapAtHeld && +heapAtHeld.toFixed(1),
        held,
        sent,
        feed_s: FEED_SECONDS,
        cpus: cpus().length,
        load: +loadavg()[0].toFixed(1),
      }),
    );
    if (rows.some(([, , , ok]) => !ok)) process.exitCode = 1;
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Self time per function, for finding what a long task spends its time on (BENCH_PROFILE=1). */
function printProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [key, ms] of top) console.log(`${ms.toFixed(0).padStart(7)} ms  ${key}`);
}

async function heldCount(page) {
  const text = await page.locator('[data-testid="feed-count"]').textContent();
  return Number((text ?? '').split(' ')[0].replace(/\D/g, ''));
}

async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
