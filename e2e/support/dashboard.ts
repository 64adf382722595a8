import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { http, type TestServer } from '../../packages/server/test/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dashboardDir = join(root, 'packages/dashboard');
const builtIndex = join(dashboardDir, 'dist/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the dashboard when dist is missing or older than its sources (or
 * the SDK's), so `npx vitest run --project e2e` works on its own; `npm test`
 * has built it already and this is a no-op.
 */
export function ensureDashboardBuilt(): void {
  const sources = Math.max(
    newestMtime(join(dashboardDir, 'src')),
    newestMtime(join(root, 'packages/client/src')),
    statSync(join(dashboardDir, 'index.html')).mtimeMs,
  );
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sources) return;
  execFileSync('npm', ['run', 'build', '--silent', '-w', '@herald/dashboard'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** Opens the dashboard as the printed link does (`/#token=…`), optionally on a view, and waits until it is live. */
export async function openDashboard(
  page: Page,
  server: Pick<TestServer, 'httpUrl' | 'adminToken'> & { dashboardUrl: string },
  query = '',
): Promise<void> {
  const hash = new URL(server.dashboardUrl).hash;
  await page.goto(`${server.httpUrl}/${query ? `?${query}` : ''}${hash}`);
  await waitForLive(page);
}

export async function waitForLive(page: Page, timeout = 15_000): Promise<void> {
  await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor({ timeout });
}

/** Goes to a view through the navigation, as a person would. */
export async function goToView(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: label }).click();
}

export interface PublishInput {
  type: string;
  source?: string;
  severity?: string;
  priority?: string;
  correlation_id?: string;
  data?: unknown;
}

/** Publishes over HTTP with the admin token; returns the seqs. */
export async function publishHttp(server: { httpUrl: string }, events: PublishInput[]): Promise<number[]> {
  const res = await http(server, 'POST', '/api/events', { events });
  if (res.status !== 202) throw new Error(`publish answered ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body as { seqs: number[] }).seqs;
}

/** The event types of the rows the live feed shows, top to bottom. */
export async function feedTypes(page: Page): Promise<string[]> {
  return page.locator('.feed [data-testid="event-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type') ?? ''));
}

export const screenshotDir = join(root, 'e2e/screenshots');
