import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../packages/server/test/helpers.js';
import { describeBrowser, launchBrowser } from './support/browser.js';
import { publishHttp } from './support/dashboard.js';

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The SDK bundled for browsers, as a script defining `window.HeraldSDK`: the browser build must not need Node. */
async function bundleSdk(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: { '@herald/protocol': fromRoot('packages/protocol/src/index.ts') } },
    build: {
      write: false,
      minify: false,
      lib: { entry: fromRoot('packages/client/src/index.ts'), formats: ['iife'], name: 'HeraldSDK', fileName: 'herald-sdk' },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunk = outputs.flatMap((o) => ('output' in o ? o.output : [])).find((c) => c.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the SDK bundle produced no script');
  return chunk.code;
}

declare global {
  interface Window {
    HeraldSDK: typeof import('../packages/client/src/index.js');
    received: number[];
    states: string[];
    client: import('../packages/client/src/index.js').HeraldClient;
  }
}

describeBrowser('the SDK in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let sdk: string;

  beforeAll(async () => {
    [server, browser, sdk] = await Promise.all([startTestServer({ dashboard: true }), launchBrowser(), bundleSdk()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A page on the server's origin (so the socket is same-origin) with the SDK loaded. */
  async function sdkPage(): Promise<Page> {
    // The dashboard's CSP allows only its own scripts; this test page injects the SDK bundle instead.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.httpUrl}/health`);
    await page.addScriptTag({ content: sdk });
    return page;
  }

  it('subscribes, publishes and resumes across a server restart with every event once, in order', async () => {
    const page = await sdkPage();
    const wsUrl = server.wsUrl;
    const published = await page.evaluate(
      async ({ url, token }) => {
        window.received = [];
        window.states = [];
        const client = new window.HeraldSDK.HeraldClient({ url, token, backoff: () => 200 });
        window.client = client;
        client.on('status', (s) => window.states.push(s.state));
        const sub = client.subscribe({ types: ['sdk.browser.*'] });
        sub.on('event', (event) => window.received.push(event.seq));
        await sub.ready();
        const result = await client.publish([
          { type: 'sdk.browser.one', data: { n: 1 } },
          { type: 'sdk.browser.two', data: { n: 2 } },
        ]);
        return result.seqs;
      },
      { url: wsUrl, token: server.adminToken },
    );
    await expect.poll(() => page.evaluate(() => window.received)).toEqual(published);

    // Drop the server under the client, publish while it is away, bring it back on the same port.
    const { port, dataDir } = server;
    await server.close({ keepData: true });
    await expect.poll(() => page.evaluate(() => window.states.includes('reconnecting'))).toBe(true);
    // A publish while offline waits in the SDK's queue and goes out on reconnect.
    const queued = page.evaluate(() => window.client.publish({ type: 'sdk.browser.queued', data: {} }).then((r) => r.seqs[0]));
    server = await startTestServer({ dashboard: true, dataDir, port });
    const missed = await publishHttp(server, [{ type: 'sdk.browser.missed' }, { type: 'other.type' }, { type: 'sdk.browser.missed' }]);
    const queuedSeq = await queued;
    const expected = [...published, missed[0], missed[2], queuedSeq].sort((a, b) => (a ?? 0) - (b ?? 0));
    await expect.poll(() => page.evaluate(() => window.received), { timeout: 15_000 }).toEqual(expected);
    await page.evaluate(() => window.client.close());
    await page.context().close();
  });
});
