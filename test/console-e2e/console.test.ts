// The admin console in a real browser against a real gateway on the simulator.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../helpers/gateway.js';
import { launchChromium, skipReason } from './browser.js';
import { startConsole, type ConsoleUnderTest } from './console-harness.js';

// WAYSTATION_SCREENSHOTS=1 rewrites the README's screenshots under docs/.
const screenshotsDir = process.env.WAYSTATION_SCREENSHOTS ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : undefined;

async function shot(page: Page, name: string): Promise<void> {
  if (!screenshotsDir) return;
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: `${screenshotsDir}${name}.png`, fullPage: false });
}

if (skipReason) console.warn(`console e2e skipped: ${skipReason}`);

describe.skipIf(skipReason)('admin console in Chromium', () => {
  let env: ConsoleUnderTest;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    env = await startConsole();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await env?.close();
  });

  it('is served at / and signs in with the admin key', async () => {
    const res = await page.goto(env.url + '/');
    expect(res?.status()).toBe(200);
    await page.getByLabel('Access key').fill(TEST_ADMIN_KEY);
    await shot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main navigation' }).isVisible()).resolves.toBe(true);
  });

  it('switches to Chinese and remembers it across a reload', async () => {
    await page.getByLabel('Language').first().selectOption('zh');
    await page.getByRole('link', { name: '令牌' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: '令牌' }).waitFor();
    await page.getByLabel('语言').first().selectOption('en');
    await page.getByRole('link', { name: 'Tokens' }).waitFor();
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
