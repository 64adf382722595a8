import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mintToken } from '../packages/server/src/auth/mint-token.js';
import { http, startTestServer, type TestServer } from '../packages/server/test/helpers.js';
import { describeBrowser, launchBrowser, newPage } from './support/browser.js';
import { ensureDashboardBuilt, feedTypes, goToView, openDashboard, publishHttp } from './support/dashboard.js';

const JWT_SECRET = 'e2e-dashboard-jwt-secret-0123456789abcdef';

describeBrowser('dashboard', () => {
  let server: TestServer;
  let browser: Browser;
  const pages: Array<{ page: Page; errors: string[] }> = [];

  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startTestServer({ dashboard: true, metricsEventIntervalMs: 1000, jwt: { secret: JWT_SECRET } });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    // Every page of the suite must have run without a script error.
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
  });

  async function open(query = ''): Promise<Page> {
    const opened = await newPage(browser);
    opened.page.setDefaultTimeout(10_000);
    pages.push(opened);
    await openDashboard(opened.page, server, query);
    return opened.page;
  }

  it('opens with the token from the link, keeps it out of the address bar, and shows who is connected', async () => {
    const page = await open();
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate(() => sessionStorage.getItem('herald.token'))).toBe(server.adminToken);
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('admin');
    // A reload keeps working from session storage.
    await page.reload();
    await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor();
  });

  it('a bad token shows the error state with how to get a good one', async () => {
    const opened = await newPage(browser);
    pages.push({ page: opened.page, errors: [] }); // the refused requests log console errors on purpose
    const { page } = opened;
    await page.goto(`${server.httpUrl}/#token=not-a-valid-token`);
    const gate = page.getByTestId('token-rejected');
    await gate.waitFor();
    expect(await gate.textContent()).toContain('npm start');
    expect(await gate.textContent()).toContain('./data/admin-token');
    expect(page.url()).not.toContain('not-a-valid-token');

    // No token at all: the same help, and pasting a good one gets in.
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${server.httpUrl}/`);
    await page.getByTestId('token-missing').waitFor();
    await page.getByRole('textbox', { name: 'Access token' }).fill(server.adminToken);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('connection-status').filter({ hasText: 'Live' }).waitFor();
    await opened.context.close();
  });

  it('builds a subscription with the builder and shows only the matching events', async () => {
    const page = await open();
    await goToView(page, 'Subscriptions');
    // Start from nothing: drop the default "All events" subscription.
    await page.getByRole('button', { name: 'Unsubscribe All events' }).click();
    await page.getByText('No active subscriptions').waitFor();

    await page.getByRole('tab', { name: 'MCP' }).click();
    await page.getByTestId('type-option-mcp_status_change').getByRole('checkbox').check();
    await page.getByLabel('New status').selectOption('inactive');
    await page.getByRole('group', { name: 'Severity' }).getByText('error', { exact: true }).click();
    await page.getByRole('group', { name: 'Severity' }).getByText('critical', { exact: true }).click();
    expect(await page.getByTestId('builder-summary').textContent()).toContain('new status is inactive');
    await page.getByLabel('Name (optional)').fill('MCP servers going down');
    await page.getByTestId('subscribe-button').click();
    const card = page.getByTestId('subscription-card').filter({ hasText: 'MCP servers going down' });
    await card.getByText('Active', { exact: true }).waitFor();
    expect(await card.textContent()).toContain('mcp_status_change');

    await goToView(page, 'Live feed');
    // Drop what the default subscription had shown, if anything.
    const clear = page.getByRole('button', { name: 'Clear', exact: true });
    if (await clear.isEnabled()) await clear.click();
    const mcp = (severity: string, newStatus: string, name: string) => ({
      type: 'mcp_status_change',
      source: 'mcp-monitor',
      severity,
      data: { mcp_name: name, old_status: 'active', new_status: newStatus },
    });
    const seqs = await publishHttp(server, [
      mcp('error', 'active', 'wrong-status'),
      mcp('error', 'inactive', 'oracle_mcp'),
      { type: 'agent_request', severity: 'error', data: { new_status: 'inactive' } },
      mcp('info', 'inactive', 'wrong-severity'),
      mcp('critical', 'inactive', 'postgres_mcp'),
    ]);
    // The last one matches; once it is shown, everything before it has been through the filter.
    await page.locator(`.feed [data-seq="${seqs[4]}"]`).waitFor();
    const shown = await page
      .locator('.feed [data-testid="event-row"]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
    expect(shown).toEqual([seqs[4], seqs[1]]);
  });

  it('filters and search apply at once, show as chips, and live in the URL', async () => {
    const tag = `needle${Date.now()}`;
    await publishHttp(server, [
      { type: 'search.sample', source: 'svc-alpha', data: { message: `found the ${tag} here` } },
      { type: 'search.sample', source: 'svc-beta', data: { message: 'nothing to see' } },
      { type: 'search.other', source: 'svc-beta', severity: 'warning', correlation_id: `${tag}-cid`, data: { message: 'second' } },
    ]);
    const page = await open();
    await page.locator('.feed [data-type="search.other"]').waitFor();

    // Search covers type, source and data.
    await page.getByTestId('filter-search').fill(tag);
    await expect.poll(() => feedTypes(page)).toEqual(['search.sample']);
    expect(new URL(page.url()).searchParams.get('q')).toBe(tag);
    await page.getByRole('button', { name: `Remove filter search: “${tag}”` }).click();

    // Click a source to filter by it; a severity toggle narrows further; each is a chip and in the URL.
    await page.locator('.feed [data-type="search.other"]').getByRole('button', { name: 'Filter by source svc-beta' }).click();
    await expect.poll(() => feedTypes(page)).toEqual(['search.other', 'search.sample']);
    expect(new URL(page.url()).searchParams.get('sources')).toBe('svc-beta');
    await page.getByRole('button', { name: 'More filters' }).click();
    await page.getByRole('group', { name: 'Severity' }).getByText('warning', { exact: true }).click();
    await expect.poll(() => feedTypes(page)).toEqual(['search.other']);
    expect(new URL(page.url()).searchParams.get('severity')).toBe('warning');

    // A shared link opens with the same filters.
    const other = await open();
    await other.goto(page.url());
    await other.getByRole('button', { name: 'Remove filter source: svc-beta' }).waitFor();
    await other.getByRole('button', { name: 'Remove filter severity: warning' }).waitFor();
    await expect.poll(() => feedTypes(other)).toEqual(['search.other']);

    // Removing a chip widens the view again; "Clear all" drops everything.
    await page.getByRole('button', { name: 'Remove filter severity: warning' }).click();
    await expect.poll(() => feedTypes(page)).toEqual(['search.other', 'search.sample']);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(async () => (await feedTypes(page)).length).toBeGreaterThanOrEqual(3);
    expect(new URL(page.url()).search).toBe('');

    // The correlation id in an expanded row filters too.
    await page
      .locator('.feed [data-type="search.other"]')
      .getByRole('button', { name: /^Expand search.other/ })
      .click();
    await page.getByRole('button', { name: `Filter by correlation id ${tag}-cid` }).click();
    await expect.poll(() => feedTypes(page)).toEqual(['search.other']);
    expect(new URL(page.url()).searchParams.get('cid')).toBe(`${tag}-cid`);
  });

  it('pages through history with the filters', async () => {
    await publishHttp(
      server,
      Array.from({ length: 120 }, (_, n) => ({ type: 'history.page', source: 'pager', data: { n } })),
    );
    const page = await open('view=history&types=history.page');
    const firstN = async () => {
      const text = await page
        .getByTestId('history-list')
        .locator('[data-testid="event-row"]')
        .first()
        .locator('.event-summary')
        .textContent();
      return Number(/n=(\d+)/.exec(text ?? '')?.[1]);
    };
    const rows = page.getByTestId('history-list').locator('[data-testid="event-row"]');
    await expect.poll(() => rows.count()).toBe(50);
    await expect.poll(firstN).toBe(119);
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(firstN).toBe(69);
    expect(await page.getByTestId('history-page').textContent()).toBe('Page 2');
    await page.getByRole('button', { name: 'Older' }).click();
    await expect.poll(firstN).toBe(19);
    await expect.poll(() => rows.count()).toBe(20);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(firstN).toBe(69);
    // The history follows the filter: a search narrows it at once.
    await page.getByTestId('filter-search').fill('"n":7');
    await expect.poll(() => page.getByTestId('history-page').textContent()).toBe('Page 1');
    await expect.poll(() => rows.count()).toBe(11); // 7, 70-79
  });

  it('analytics chart the real traffic', async () => {
    await publishHttp(server, [
      ...Array.from({ length: 7 }, () => ({
        type: 'analytics.check',
        source: 'chart-source',
        severity: 'critical',
        priority: 'high',
        data: {},
      })),
    ]);
    const page = await open('view=analytics');
    const total = Number((await page.getByTestId('analytics-total').textContent())?.replace(/\D/g, ''));
    const stats = await http(server, 'GET', '/api/events/stats?window=1h');
    expect(total).toBeGreaterThan(0);
    expect(Math.abs(total - (stats.body as { total: number }).total)).toBeLessThan(20); // metrics events keep arriving
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(5);
    const typesList = page.getByRole('list', { name: 'Top event types' });
    await typesList.getByText('history.page').waitFor();
    expect(await page.getByRole('list', { name: 'Events per source' }).textContent()).toContain('chart-source');
    expect(await page.getByRole('list', { name: 'Events by severity' }).textContent()).toMatch(/critical\s*\d+/);
    // A new event shows up without a reload.
    await publishHttp(
      server,
      Array.from({ length: 3 }, () => ({ type: 'analytics.late', source: 'late-source', data: {} })),
    );
    await page.getByRole('list', { name: 'Events per source' }).getByText('late-source').waitFor({ timeout: 15_000 });
  });

  it('publishes from the form, checking the JSON as it is typed', async () => {
    const page = await open('view=publish');
    await page.getByTestId('publish-type').fill('e2e.form.sent');
    await page.getByTestId('publish-severity').selectOption('warning');
    await page.getByTestId('publish-source').fill('form-test');
    await page.getByTestId('publish-data').fill('{"order": 42,');
    await page.getByTestId('publish-json-status').filter({ hasText: 'Not valid JSON' }).waitFor();
    expect(await page.getByTestId('publish-submit').isDisabled()).toBe(true);
    await page.getByTestId('publish-data').fill('{"order": 42, "message": "sent from the form"}');
    await page.getByTestId('publish-json-status').filter({ hasText: 'Valid JSON' }).waitFor();
    await page.getByTestId('publish-submit').click();
    const result = page.getByTestId('publish-result');
    await result.getByText('Published as seq').waitFor();
    const seq = Number(await result.locator('strong').textContent());
    const stored = await http(server, 'GET', '/api/events/history?types=e2e.form.sent');
    const event = (stored.body as { events: Array<Record<string, unknown>> }).events[0];
    expect(event).toMatchObject({
      seq,
      type: 'e2e.form.sent',
      severity: 'warning',
      source: 'form-test',
      data: { order: 42, message: 'sent from the form' },
    });
    await page.getByRole('button', { name: 'See it in the live feed' }).click();
    await page.locator(`.feed [data-seq="${seq}"]`).waitFor();
  });

  it('shows live server metrics, the nodes and the connections list', async () => {
    const page = await open('view=system');
    const metrics = page.getByTestId('system-metrics');
    await metrics.waitFor();
    const published = async () =>
      Number(((await metrics.getByRole('region', { name: 'Events in /s' }).locator('.metric-sub').textContent()) ?? '').replace(/\D/g, ''));
    const before = await published();
    await publishHttp(server, [{ type: 'system.tick', data: {} }]);
    await expect.poll(published, { timeout: 10_000 }).toBeGreaterThan(before);
    const connections = await http(server, 'GET', '/api/connections');
    if (connections.status === 200) await page.getByRole('table', { name: 'Live connections' }).waitFor();
    // One node, marked as the one that answered.
    const nodes = page.getByRole('table', { name: 'Nodes' });
    await nodes.waitFor();
    expect(await nodes.locator('tbody tr').count()).toBe(1);
    expect(await nodes.locator('tbody').textContent()).toContain('(this node)');
  });

  it('pauses and resumes the live feed without losing events', async () => {
    const page = await open();
    await page.getByTestId('pause-toggle').click();
    const seqs = await publishHttp(server, [{ type: 'pause.check', data: { message: 'while paused' } }]);
    await page.getByTestId('show-new-events').filter({ hasText: 'Paused' }).waitFor();
    expect(await page.locator(`.feed [data-seq="${seqs[0]}"]`).count()).toBe(0);
    await page.getByTestId('pause-toggle').click();
    await page.locator(`.feed [data-seq="${seqs[0]}"]`).waitFor();
  });

  it('switches org from the header when the token lists several', async () => {
    const token = await mintToken({
      secret: JWT_SECRET,
      sub: 'ada',
      org: 'acme',
      orgs: ['acme', 'globex'],
      permissions: ['subscribe:*', 'publish:*', 'history:*'],
      ttlS: 600,
    });
    const opened = await newPage(browser);
    pages.push({ page: opened.page, errors: [] }); // a scoped token meets 403s (metrics, connections) by design
    const { page } = opened;
    page.setDefaultTimeout(10_000);
    await openDashboard(page, { ...server, dashboardUrl: `${server.httpUrl}/#token=${encodeURIComponent(token)}` });
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('ada');
    const switcher = page.getByRole('combobox', { name: 'Switch organisation' });
    expect(await switcher.inputValue()).toBe('acme');

    const both = (label: string) => [
      { type: 'org.check', org: 'acme', data: { message: `acme ${label}` } },
      { type: 'org.check', org: 'globex', data: { message: `globex ${label}` } },
    ];
    const first = await publishHttp(server, both('first'));
    await page.locator(`.feed [data-seq="${first[0]}"]`).waitFor();
    await switcher.selectOption('globex');
    await expect.poll(() => switcher.inputValue()).toBe('globex');
    const second = await publishHttp(server, both('second'));
    await page.locator(`.feed [data-seq="${second[1]}"]`).waitFor();
    const shown = await page
      .locator('.feed [data-type="org.check"]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
    expect(shown).toEqual([second[1], first[0]]);
    await opened.context.close();
  });
});
