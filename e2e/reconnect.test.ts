import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../packages/server/test/helpers.js';
import { describeBrowser, launchBrowser, newPage } from './support/browser.js';
import { ensureDashboardBuilt, openDashboard, publishHttp, waitForLive } from './support/dashboard.js';

describeBrowser('dashboard across a server restart', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startTestServer({ dashboard: true });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reconnects by itself and shows what was published while it was away', async () => {
    const { page, context, errors } = await newPage(browser);
    page.setDefaultTimeout(15_000);
    await openDashboard(page, server);
    const [before] = await publishHttp(server, [{ type: 'restart.before', data: { message: 'before the restart' } }]);
    await page.locator(`.feed [data-seq="${before}"]`).waitFor();

    // Same data folder and port: the page's socket dials the same address.
    const { port, dataDir } = server;
    await server.close({ keepData: true });
    await page.getByTestId('connection-status').filter({ hasText: 'Reconnecting' }).waitFor();
    await page.getByTestId('reconnecting-banner').waitFor();
    server = await startTestServer({ dashboard: true, dataDir, port });
    // Published before the page is back: it can only arrive through the resume from its last seq.
    const missed = await publishHttp(server, [
      { type: 'restart.missed', severity: 'warning', data: { message: 'missed one' } },
      { type: 'restart.missed', severity: 'error', data: { message: 'missed two' } },
    ]);
    await waitForLive(page, 30_000);
    for (const seq of missed) await page.locator(`.feed [data-seq="${seq}"]`).waitFor();
    const [after] = await publishHttp(server, [{ type: 'restart.after', data: { message: 'live again' } }]);
    await page.locator(`.feed [data-seq="${after}"]`).waitFor();

    const seqs = await page
      .locator('.feed [data-testid="event-row"]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
    expect(seqs.slice(0, 4)).toEqual([after, missed[1], missed[0], before]);
    expect(new Set(seqs).size).toBe(seqs.length); // nothing twice
    // The refused connection attempts while the server was down are expected console noise.
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
