import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { http, startTestServer, type TestServer } from '../packages/server/test/helpers.js';
import { WebhookReceiver } from '../packages/server/test/webhook-receiver.js';
import { describeBrowser, launchBrowser, newPage } from './support/browser.js';
import { ensureDashboardBuilt, goToView, openDashboard, publishHttp, screenshotDir } from './support/dashboard.js';

describeBrowser('dashboard webhooks page', () => {
  let server: TestServer;
  let browser: Browser;
  let receiver: WebhookReceiver;
  let isReceiverDown = true;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    // Event n=1 is refused while the receiver is "down"; everything else is accepted.
    receiver = await WebhookReceiver.start(({ json }) => (isReceiverDown && (json.data as { n?: number }).n === 1 ? 500 : 200));
    server = await startTestServer({
      dashboard: true,
      webhookDelivery: { allowPrivate: true, retryBaseMs: 20, retryMaxMs: 50, pollIntervalMs: 50 },
    });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser));
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
    expect(errors).toEqual([]);
  });

  it('creates a webhook with the type and filter pickers, shows its deliveries and a dead letter, and redelivers it', async () => {
    await openDashboard(page, server);
    await goToView(page, 'Webhooks');
    await page.getByText('No webhooks yet').waitFor();

    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-attempts').fill('2');
    await page.getByRole('tab', { name: 'MCP' }).click();
    await page.getByTestId('type-option-mcp_status_change').getByRole('checkbox').check();
    await page.getByRole('group', { name: 'Severity' }).getByText('error', { exact: true }).click();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    const listed = (await http(server, 'GET', '/api/webhooks')).body.webhooks;
    expect(listed).toEqual([expect.objectContaining({ url: receiver.url, event_types: ['mcp_status_change'], filters: { severity: ['error'] }, maxAttempts: 2 })]);

    const [failing, passing] = await publishHttp(server, [
      { type: 'mcp_status_change', severity: 'error', data: { mcp_name: 'oracle_mcp', n: 1 } },
      { type: 'mcp_status_change', severity: 'error', data: { mcp_name: 'oracle_mcp', n: 2 } },
      { type: 'mcp_status_change', severity: 'info', data: { mcp_name: 'oracle_mcp', n: 3 } },
    ]);
    const log = page.getByTestId('delivery-log');
    await log.locator(`[data-testid="delivery-${passing}"][data-status="delivered"]`).waitFor();
    const dead = log.locator(`[data-testid="delivery-${failing}"][data-status="dead"]`);
    await dead.waitFor();
    expect(await dead.textContent()).toContain('dead letter');
    expect(await dead.textContent()).toContain('500');
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'webhooks.png'), fullPage: true });

    isReceiverDown = false;
    await page.getByTestId(`redeliver-${failing}`).click();
    await log.locator(`[data-testid="delivery-${failing}"][data-status="delivered"]`).waitFor();
    expect(receiver.acceptedSeqs()).toEqual([passing, failing]);

    const row = page.getByTestId(`webhook-${listed[0].id}`);
    await page.getByTestId(`pause-${listed[0].id}`).click();
    await row.and(page.locator('[data-status="paused"]')).waitFor();
  });
});
