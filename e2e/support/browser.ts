import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's Chromium; `.ci/run` installs it. A downloaded browser is never used. */
export const CHROMIUM_PATH = process.env.HERALD_CHROMIUM ?? '/usr/bin/chromium';

const hasChromium = existsSync(CHROMIUM_PATH);
const missingReason = `${CHROMIUM_PATH} not found (install Debian's chromium: apt-get install chromium)`;

if (!hasChromium && process.env.CI === 'true') {
  // In CI a missing browser is a broken machine, not a reason to pass quietly.
  throw new Error(`browser tests cannot run in CI: ${missingReason}`);
}
if (!hasChromium) console.warn(`[e2e] skipping browser tests: ${missingReason}`);

/** `describe` that skips, with the reason in its name, when Chromium is missing outside CI. */
export function describeBrowser(name: string, body: () => void): void {
  if (hasChromium) describe(name, body);
  else describe.skip(`${name} (skipped: ${missingReason})`, body);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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
}

export const DESKTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** A fresh context (its own storage) and page, with browser errors surfaced in the test output. */
export async function newPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
    isMobile: options.viewport?.width === PHONE.width,
    hasTouch: options.viewport?.width === PHONE.width,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return { context, page, errors };
}
