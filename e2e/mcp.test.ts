import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../packages/server/test/helpers.js';
import { everythingStdio } from '../packages/server/test/mcp-helpers.js';
import { describeBrowser, launchBrowser, newPage } from './support/browser.js';
import { ensureDashboardBuilt, goToView, openDashboard, screenshotDir } from './support/dashboard.js';

describeBrowser('MCP page', () => {
  let server: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    mkdirSync(screenshotDir, { recursive: true });
    server = await startTestServer({ dashboard: true, mcp: { servers: [everythingStdio('everything', { healthCheckIntervalMs: 300 })] } });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(errors).toEqual([]);
  });

  async function open(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const opened = await newPage(browser, { colorScheme });
    opened.page.setDefaultTimeout(15_000);
    opened.page.on('pageerror', (err) => errors.push(err.message));
    await openDashboard(opened.page, server);
    await goToView(opened.page, 'MCP');
    return opened.page;
  }

  const card = (page: Page) => page.locator('[data-testid="mcp-server"][data-name="everything"]');

  it('lists the server as active with a closed circuit and its health checks', async () => {
    const page = await open();
    await card(page).and(page.locator('[data-status="active"]')).waitFor();
    expect(await card(page).getByTestId('mcp-circuit').textContent()).toBe('circuit closed');
    await expect.poll(() => card(page).getByTestId('mcp-last-check').textContent(), { timeout: 10_000 }).toMatch(/healthy, \d+ ms/);
    await page.context().close();
  });

  it('calls echo with a form made from its input schema and renders the result', async () => {
    const page = await open();
    await page.getByLabel('Tool', { exact: true }).selectOption('echo');
    await page.getByLabel('message *').fill('hello from Chromium');
    await page.getByRole('button', { name: 'Call echo' }).click();
    const result = page.locator('[data-testid="mcp-result"][data-state="done"]');
    await result.waitFor();
    expect(await result.textContent()).toContain('Echo: hello from Chromium');
    await page.context().close();
  });

  it('shows the progress of the long-running operation live, then its result', async () => {
    const page = await open();
    await page.getByLabel('Tool', { exact: true }).selectOption('trigger-long-running-operation');
    await page.getByLabel('duration').fill('1.2');
    await page.getByLabel('steps').fill('4');
    await page.getByRole('button', { name: 'Call trigger-long-running-operation' }).click();
    const progress = page.getByTestId('mcp-progress');
    await progress.waitFor();
    // Seen while the call still runs: the button says so until the result arrives.
    expect(await page.getByRole('button', { name: 'Running…' }).count()).toBe(1);
    await page.locator('[data-testid="mcp-result"][data-state="done"]').waitFor();
    expect(await progress.textContent()).toContain('Progress 4 of 4');
    expect(await page.getByTestId('mcp-result').textContent()).toContain('Long running operation completed');
    await page.screenshot({ path: join(screenshotDir, 'mcp-light-desktop.png') });
    await page.context().close();
  });

  it('names the field a tool rejects, without calling it', async () => {
    const page = await open();
    await page.getByLabel('Tool', { exact: true }).selectOption('get-sum');
    await page.getByLabel('a *').fill('one');
    await page.getByRole('button', { name: 'Call get-sum' }).click();
    expect(await page.locator('.field-error').allTextContents()).toEqual(['must be a number', 'required']);
    await page.context().close();
  });

  it('lets an admin disable and enable the server', async () => {
    const page = await open('dark');
    await card(page).and(page.locator('[data-status="active"]')).waitFor();
    await card(page).getByRole('button', { name: 'Disable' }).click();
    await card(page).and(page.locator('[data-status="disabled"]')).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'mcp-dark-desktop-disabled.png') });
    await card(page).getByRole('button', { name: 'Enable' }).click();
    await card(page).and(page.locator('[data-status="active"]')).waitFor();
    await page.context().close();
  });
});
