import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../packages/server/test/helpers.js';
import { DESKTOP, PHONE, describeBrowser, launchBrowser, newPage } from './support/browser.js';
import { ensureDashboardBuilt, goToView, openDashboard, publishHttp, screenshotDir } from './support/dashboard.js';

const VIEWS = ['Live feed', 'Subscriptions', 'History', 'Analytics', 'System', 'Publish', 'Agents', 'KV store'] as const;

/** Traffic that looks like a working platform, so the screenshots show something real. */
function demoEvents() {
  const mcps = ['oracle_mcp', 'postgres_mcp', 'github_mcp'];
  const agents = ['planner', 'researcher', 'coder'];
  const events = [];
  for (let i = 0; i < 90; i++) {
    const k = i % 9;
    if (k === 0)
      events.push({
        type: 'mcp_status_change',
        source: 'mcp-monitor',
        severity: 'error',
        priority: 'high',
        data: {
          mcp_name: mcps[i % 3],
          old_status: 'active',
          new_status: 'inactive',
          message: `${mcps[i % 3]} stopped answering health checks`,
        },
      });
    else if (k === 1)
      events.push({
        type: 'circuit_breaker_state',
        source: 'mcp-monitor',
        severity: 'warning',
        data: { mcp_name: mcps[i % 3], state: 'half_open' },
      });
    else if (k < 5)
      events.push({
        type: 'agent_request',
        source: `agent-${agents[i % 3]}`,
        correlation_id: `req-${100 + i}`,
        data: { agent: agents[i % 3], message: `Summarise ticket #${4000 + i}` },
      });
    else if (k < 7)
      events.push({
        type: 'agent_response',
        source: `agent-${agents[i % 3]}`,
        severity: 'success',
        correlation_id: `req-${99 + i}`,
        data: { agent: agents[i % 3], tokens: 300 + i * 7, message: 'Answer sent' },
      });
    else if (k === 7)
      events.push({
        type: 'claude.session.started',
        source: 'claude-code',
        severity: 'info',
        data: { sessionId: `s-${i}`, message: 'Session started in herald/main' },
      });
    else
      events.push({
        type: 'repo.commit.created',
        source: 'github',
        severity: 'debug',
        priority: 'low',
        data: { repository: 'herald', sha: `a1b2c${i}`, message: 'dashboard: hold the feed while reading' },
      });
  }
  return events;
}

describeBrowser('screenshots of every view', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureDashboardBuilt();
    mkdirSync(screenshotDir, { recursive: true });
    server = await startTestServer({ dashboard: true, metricsEventIntervalMs: 500 });
    browser = await launchBrowser();
    await publishHttp(server, demoEvents());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      it(`${theme} theme, ${size}`, async () => {
        const { page, context, errors } = await newPage(browser, { viewport, colorScheme: theme });
        page.setDefaultTimeout(10_000);
        await openDashboard(page, server);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await publishHttp(server, [
          {
            type: 'agent_error',
            source: 'agent-coder',
            severity: 'critical',
            priority: 'critical',
            correlation_id: 'req-142',
            data: { agent: 'coder', message: 'Tool call timed out after 30 s' },
          },
        ]);
        await page.locator('.feed [data-type="agent_error"]').first().waitFor();
        for (const view of VIEWS) {
          if (view !== 'Live feed') await goToView(page, view);
          if (view === 'Analytics') await page.getByTestId('analytics-total').waitFor();
          if (view === 'System') await page.getByTestId('system-metrics').waitFor();
          if (view === 'History') await page.getByTestId('history-list').waitFor();
          if (view === 'Subscriptions') await page.getByRole('tab', { name: 'MCP' }).waitFor();
          // Charts draw on the next frame after their data arrives.
          await page.waitForTimeout(view === 'System' ? 1500 : 300);
          const name = `${view.toLowerCase().replace(/\s+/g, '-')}-${theme}-${size}.png`;
          await page.screenshot({ path: join(screenshotDir, name) });
        }
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
});
