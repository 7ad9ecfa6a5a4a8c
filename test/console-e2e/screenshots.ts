// WAYSTATION_SCREENSHOTS=1 rewrites the README's screenshots under
// docs/screenshots/; otherwise taking one does nothing.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const screenshotsDir = process.env.WAYSTATION_SCREENSHOTS ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : undefined;

export async function shot(page: Page, name: string): Promise<void> {
  if (!screenshotsDir) return;
  mkdirSync(screenshotsDir, { recursive: true });
  // Let charts and fonts settle after the last state change the test waited for.
  await page.evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => resolve(undefined))));
  await page.screenshot({ path: `${screenshotsDir}${name}.png`, fullPage: false });
}
