import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { http, startTestServer, type TestServer } from '../packages/server/test/helpers.js';
import { type LoopbackBackends, startLoopbackBackends } from '../packages/server/test/loopback-backends.js';
import { describeBrowser, launchBrowser, newPage } from './support/browser.js';
import { ensureDashboardBuilt, goToView, openDashboard, screenshotDir } from './support/dashboard.js';

describeBrowser('Agents page and KV browser', () => {
  let backends: LoopbackBackends;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureDashboardBuilt();
    mkdirSync(screenshotDir, { recursive: true });
    backends = await startLoopbackBackends();
    server = await startTestServer({
      dashboard: true,
      agents: {
        backends: [
          { name: 'echo', url: `${backends.url}/agent` },
          { name: 'flaky', url: `${backends.url}/fail` },
        ],
      },
    });
    await http(server, 'PUT', '/api/agents/echo', { description: 'Repeats what you tell it' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await backends?.close();
  });

  it('sends a message to the picked agent, shows the streamed reply and the task as completed', async () => {
    const { page, context, errors } = await newPage(browser);
    page.setDefaultTimeout(10_000);
    await openDashboard(page, server);
    await goToView(page, 'Agents');
    await page.getByTestId('agent-echo').waitFor();
    expect(await page.getByTestId('agent-echo').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('chat-input').fill('hello from the browser');
    await page.getByTestId('chat-send').click();
    const reply = page.getByTestId('chat-agent').last();
    await reply.and(page.locator('[data-state="done"]')).waitFor();
    expect(await reply.locator('.chat-text').textContent()).toBe('echo: hello from the browser');
    const taskId = (await reply.locator('.field-hint').textContent())!;
    expect(taskId).toMatch(/^task_/);
    await page.locator(`[data-testid="task-row"][data-task-id="${taskId}"]`).getByText('Completed').waitFor();

    await page.getByTestId('agent-flaky').click();
    await page.getByTestId('chat-input').fill('will fail');
    await page.getByTestId('chat-send').click();
    const failed = page.getByTestId('chat-agent').last();
    await failed.and(page.locator('[data-state="failed"]')).waitFor();
    expect(await failed.textContent()).toContain('HTTP 500');
    await page.getByTestId('task-row').filter({ hasText: 'flaky' }).getByText('Failed').waitFor();

    await page.screenshot({ path: join(screenshotDir, 'agents-light-desktop.png') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sets a key, finds it by prefix, refuses invalid JSON, edits it and deletes it', async () => {
    await http(server, 'PUT', '/api/kv/other:1', { value: 'not in the search' });
    const { page, context, errors } = await newPage(browser);
    page.setDefaultTimeout(10_000);
    await openDashboard(page, server);
    await goToView(page, 'KV store');

    await page.getByTestId('kv-key').fill('session:42');
    await page.getByTestId('kv-value').fill('{"step": 3}');
    await page.getByTestId('kv-ttl').fill('3600');
    await page.getByTestId('kv-save').click();
    await page.getByTestId('kv-prefix').fill('session:');
    const row = page.locator('[data-testid="kv-row"][data-key="session:42"]');
    await row.waitFor();
    expect(await page.getByTestId('kv-row').count()).toBe(1);
    expect(await row.getByTestId('kv-row-ttl').textContent()).toBe('1 h');

    await row.getByRole('button', { name: 'Edit session:42' }).click();
    await page.getByTestId('kv-value').fill('{"step": }');
    expect(await page.getByTestId('kv-value-check').textContent()).toMatch(/^Not valid JSON/);
    expect(await page.getByTestId('kv-save').isDisabled()).toBe(true);
    await page.getByTestId('kv-value').fill('{"step": 4}');
    await page.getByTestId('kv-save').click();
    await row.getByText('{"step":4}').waitFor();
    expect((await http(server, 'GET', '/api/kv/session:42')).body).toMatchObject({ value: { step: 4 } });

    await page.screenshot({ path: join(screenshotDir, 'kv-light-desktop.png') });
    await row.getByRole('button', { name: 'Delete session:42' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await http(server, 'GET', '/api/kv/session:42')).status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says the default subscription filter in words', async () => {
    const { page, context } = await newPage(browser);
    await openDashboard(page, server);
    await goToView(page, 'Subscriptions');
    const card = page.getByTestId('subscription-card').first();
    expect(await card.getByTestId('subscription-filter').textContent()).toBe('Type is not metrics');
    await context.close();
  });
});
