// The admin console in a real browser against a real gateway on the
// simulator: issue #8's end-to-end list, one flow after another on one page
// (a token made here is used by the playground, whose request the logs show).
// Elements are found by role and accessible name, as a user finds them.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_ADMIN_KEY, TOKEN_KEY } from '../helpers/gateway.js';
import { launchChromium, skipReason } from './browser.js';
import { startConsole, type ConsoleUnderTest } from './console-harness.js';
import { watchPage, type PageWatch } from './page-watch.js';
import { shot } from './screenshots.js';

// The browser's globals, for the callbacks given to page.evaluate: the tests'
// tsconfig has no DOM lib (it would clash with Node's fetch types).
interface ElementLike {
  id: string;
  tagName: string;
  textContent: string | null;
  closest(selector: string): unknown;
}
declare const document: { activeElement: ElementLike | null; documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare const navigator: { clipboard: { readText(): Promise<string> } };
interface ImageLike {
  decode(): Promise<void>;
  naturalWidth: number;
  naturalHeight: number;
}

/** Generous: two cores shared with other work; locators wait, nothing is timed. */
const WAIT = { timeout: 20_000 };
const FLOW_MS = 60_000;

if (skipReason) console.warn(`console e2e skipped: ${skipReason}`);

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Picks the option whose text contains `text` (labels carry extra detail, e.g. a masked key). */
async function selectContaining(select: Locator, text: string): Promise<void> {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value', WAIT);
  await select.selectOption(value ?? '', WAIT);
}

async function goTo(page: Page, navName: string, heading: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: navName, exact: true }).click(WAIT);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe.skipIf(skipReason)('admin console in Chromium', () => {
  let env: ConsoleUnderTest;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  // Made by one flow, used by the next.
  const tokenName = unique('e2e-token');
  const channelName = unique('e2e-channel');
  let tokenKey = '';
  let imageRequestId = '';

  beforeAll(async () => {
    env = await startConsole();
    browser = await launchChromium();
    // Reduced motion: the dashboard's charts draw at once (no half-drawn screenshot).
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    // The key dialog's Copy button writes to the clipboard; the test reads it back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
    page = await context.newPage();
    watch = watchPage(page);
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
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor(WAIT);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor(WAIT);
  });

  it('creates a token with a quota; its shown-once key copies, works on the relay and the list shows it', async () => {
    await goTo(page, 'Tokens', 'Tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('dialog', { name: 'New token' });
    await form.getByLabel('Name').fill(tokenName);
    await form.getByLabel('Quota (USD)').fill('5');
    await form.getByRole('button', { name: 'Create token' }).click();

    const shown = page.getByRole('dialog', { name: `Token ${tokenName} created` });
    const keyBox = shown.getByRole('textbox', { name: 'Token key' });
    await keyBox.waitFor(WAIT);
    tokenKey = await keyBox.inputValue();
    expect(tokenKey).toMatch(/^sk-\S{20,}$/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor(WAIT);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tokenKey);

    const models = await fetch(`${env.url}/v1/models`, { headers: { authorization: `Bearer ${tokenKey}` } });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);

    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached', ...WAIT });
    const row = page.getByRole('row').filter({ hasText: tokenName });
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain('$5 left');
    await page.getByText(`Token ${tokenName} created.`).waitFor(WAIT);
    await shot(page, 'tokens');
  }, FLOW_MS);

  it('creates a simulator channel and its Test button reports a pass', async () => {
    await goTo(page, 'Channels', 'Channels');
    await page.getByRole('button', { name: 'New channel' }).click();
    const form = page.getByRole('dialog', { name: 'New channel' });
    await form.getByLabel('Name', { exact: true }).fill(channelName);
    await form.getByLabel('Type').selectOption('simulator');
    await form.getByLabel('Base URL').fill(env.sim.url);
    await form.getByLabel('API keys, one per line').fill('sim-e2e-key');
    const newModel = form.getByLabel('New model');
    await newModel.fill('gemini-2.5-flash-image');
    await newModel.press('Enter');
    await newModel.fill('gpt-4o-mini');
    await form.getByRole('button', { name: 'Add model' }).click();
    const chips = form.getByRole('list', { name: 'Models' });
    await chips.getByText('gemini-2.5-flash-image').waitFor(WAIT);
    await chips.getByText('gpt-4o-mini').waitFor(WAIT);
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await form.waitFor({ state: 'detached', ...WAIT });
    await page.getByText(`Channel ${channelName} created.`).waitFor(WAIT);

    await page.getByRole('searchbox', { name: 'Name' }).fill(channelName);
    await page.getByRole('button', { name: `Test ${channelName}` }).click(WAIT);
    const result = page.getByRole('status', { name: 'Test result' });
    await result.getByText(`Test of ${channelName} passed`).waitFor(WAIT);
    expect(await result.textContent()).toMatch(/answered in .*\(HTTP 200\)/);
    await shot(page, 'channels');

    // The edit dialog, once, for the screenshot: it shows what was saved.
    await page.getByRole('button', { name: `Edit ${channelName}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit channel ${channelName}` });
    expect(await edit.getByLabel('Base URL').inputValue()).toBe(env.sim.url);
    await edit.getByRole('list', { name: 'Models' }).getByText('gpt-4o-mini').waitFor(WAIT);
    await shot(page, 'channel-edit');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached', ...WAIT });
  }, FLOW_MS);

  it('generates a 16:9 image in the image playground with the new token and shows its cost', async () => {
    await goTo(page, 'Image playground', 'Image playground');
    await selectContaining(page.getByLabel('Token', { exact: true }), tokenName);
    await page.getByLabel('Model').selectOption('gemini-2.5-flash-image');
    await page.getByLabel('Aspect ratio').selectOption('16:9');
    await page.getByLabel('Prompt').fill('A lighthouse at dusk, wide shot');
    await page.getByRole('button', { name: 'Generate' }).click(WAIT);

    const result = page.getByRole('region', { name: 'Result' });
    const image = result.getByRole('img', { name: 'Generated image 1' });
    await image.waitFor({ timeout: 45_000 });
    const [width, height] = await image.evaluate(async (el) => {
      const img = el as unknown as ImageLike;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    });
    expect(width).toBeGreaterThan(height);
    expect(width / height).toBeCloseTo(16 / 9, 1);
    await result.getByRole('status').filter({ hasText: /^\$\d/ }).waitFor(WAIT);
    imageRequestId = (await result.locator('code').first().textContent())?.trim() ?? '';
    expect(imageRequestId).not.toBe('');
    await image.scrollIntoViewIfNeeded();
    await shot(page, 'image-playground');
  }, FLOW_MS);

  it('finds that request in the usage logs by token and opens its attempts and cost', async () => {
    await goTo(page, 'Usage logs', 'Usage logs');
    const filters = page.getByRole('form', { name: 'Filter usage logs' });
    await selectContaining(filters.getByLabel('Token'), `${tokenName} (#`);
    await filters.getByLabel('Model', { exact: true }).fill('gemini-2.5-flash-image');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/token_id=\d+/, WAIT);

    const rows = page.getByRole('table', { name: 'Usage log entries' }).getByRole('row').filter({ hasText: 'gemini-2.5-flash-image' });
    await rows.first().waitFor(WAIT);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(tokenName);
    await rows.first().click();

    const record = page.getByRole('dialog', { name: /^Request #\d+$/ });
    await record.getByText(imageRequestId).waitFor(WAIT);
    const attempts = record.getByRole('table', { name: 'Attempts' });
    const attemptRows = attempts.locator('tbody tr');
    await attemptRows.first().waitFor(WAIT);
    expect(await attemptRows.count()).toBeGreaterThanOrEqual(1);
    expect(await attemptRows.last().textContent()).toContain('200');
    const cost = record.getByRole('region', { name: 'Cost breakdown' });
    await cost.getByRole('rowheader', { name: 'Output image tokens' }).waitFor(WAIT);
    expect(await cost.getByText('Total charged').locator('..').textContent()).toMatch(/\$\d/);
    await shot(page, 'logs');
    await record.getByRole('button', { name: 'Close' }).last().click();
    await record.waitFor({ state: 'detached', ...WAIT });
  }, FLOW_MS);

  it('streams a reply in the chat playground', async () => {
    await goTo(page, 'Chat playground', 'Chat playground');
    await selectContaining(page.getByLabel('Token', { exact: true }), tokenName);
    await page.getByLabel('Model').selectOption('gpt-4o-mini');
    const prompt = `Say hello to ${unique('chat')}`;
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill(prompt);
    await page.getByRole('button', { name: /^send/i }).click(WAIT);
    // The simulator answers 'Simulated reply to "<prompt>". …'.
    await page.getByText(`Simulated reply to "${prompt}`).waitFor({ timeout: 45_000 });
    // The usage row (written a moment after the answer) says it was streamed, with our token.
    await vi.waitFor(
      async () => {
        const logs = await fetch(`${env.url}/api/logs?model=gpt-4o-mini&page_size=5`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
        const newest = ((await logs.json()) as { data: { items: Array<{ token_name: string | null; is_stream: boolean }> } }).data.items[0];
        expect(newest).toMatchObject({ token_name: tokenName, is_stream: true });
      },
      { timeout: 10_000, interval: 250 },
    );
    await shot(page, 'chat-playground');
  }, FLOW_MS);

  it('shows the traffic on the dashboard', async () => {
    // A little more traffic, some of it refused, so every chart has a point.
    const relay = (model: string) =>
      fetch(`${env.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: `hello ${model}` }] }),
      }).then((r) => r.status);
    const statuses = await Promise.all(['gpt-4o-mini', 'gpt-4o-mini', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'no-such-model'].map(relay));
    expect(statuses).toEqual([200, 200, 200, 200, expect.any(Number)]);
    expect(statuses[4]).toBeGreaterThanOrEqual(400);

    await goTo(page, 'Dashboard', 'Dashboard');
    await page.getByRole('status').filter({ hasText: /\d+ requests?/ }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'Channel health' }).waitFor(WAIT);
    await page.locator('.recharts-surface').first().waitFor(WAIT);
    expect(await page.locator('main').textContent()).toContain('gemini-2.5-flash-image');
    await shot(page, 'dashboard');
  }, FLOW_MS);

  it('switches to Chinese, remembers it across a reload, and switches back', async () => {
    await goTo(page, 'Usage logs', 'Usage logs');
    await page.getByLabel('Language').first().selectOption('zh');
    await page.getByRole('link', { name: '令牌' }).waitFor(WAIT);
    await page.reload();
    await page.getByRole('link', { name: '令牌' }).waitFor(WAIT);
    await page.getByRole('heading', { level: 1, name: '使用日志' }).waitFor(WAIT);
    await page.getByRole('table').getByRole('row').nth(1).waitFor(WAIT);
    await shot(page, 'zh-logs');
    await page.getByLabel('语言').first().selectOption('en');
    await page.getByRole('link', { name: 'Tokens' }).waitFor(WAIT);
  });

  it('is keyboard usable: Tab reaches the skip link then the navigation; a dialog closes with Escape and gives focus back', async () => {
    await goTo(page, 'Tokens', 'Tokens');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor(WAIT);
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Tokens' }).waitFor(WAIT);
    let inNav = false;
    for (let i = 0; i < 12 && !inNav; i++) {
      await page.keyboard.press('Tab');
      inNav = await page.evaluate(() => document.activeElement?.closest('nav#main-nav') != null && document.activeElement?.tagName === 'A');
    }
    expect(inNav).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Tokens' }).waitFor(WAIT);

    await goTo(page, 'Tokens', 'Tokens');
    const opener = page.getByRole('button', { name: 'New token' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New token' });
    await dialog.waitFor(WAIT);
    expect(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') != null)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', ...WAIT });
    expect(await focusedText(page)).toBe('New token');
  }, FLOW_MS);

  it('works on a phone: the menu opens the navigation, pages fit the width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await phoneChecks();
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }, FLOW_MS);

  async function phoneChecks(): Promise<void> {
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.waitFor(WAIT);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    expect(await nav.getByRole('link', { name: 'Usage logs' }).isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Usage logs' }).waitFor({ state: 'visible', ...WAIT });
    await shot(page, 'phone-menu');
    await nav.getByRole('link', { name: 'Usage logs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usage logs' }).waitFor(WAIT);
    expect(await nav.getByRole('link', { name: 'Tokens' }).isVisible()).toBe(false);

    const overflow: string[] = [];
    // Each page with its content in (what could overflow is there to measure).
    const pages: Array<[path: string, heading: string, content: Locator]> = [
      ['logs', 'Usage logs', page.getByRole('row').filter({ hasText: 'gemini-2.5-flash-image' }).first()],
      ['', 'Dashboard', page.locator('.recharts-surface').first()],
      ['tokens', 'Tokens', page.getByText(tokenName).first()],
      ['channels', 'Channels', page.getByText(channelName).first()],
      ['playground/image', 'Image playground', page.getByLabel('Prompt')],
    ];
    for (const [path, heading, content] of pages) {
      await page.goto(`${env.url}/#/${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor(WAIT);
      await content.waitFor(WAIT);
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      if (scrollWidth > innerWidth + 1) overflow.push(`${heading}: ${scrollWidth} > ${innerWidth}`);
      if (path === 'tokens') await shot(page, 'phone');
    }
    expect(overflow).toEqual([]);
  }

  it('raised no uncaught errors in the page and no 5xx from /api', () => {
    expect(watch.errors).toEqual([]);
    expect(watch.serverErrors).toEqual([]);
  });
});
