// Headless Chromium for the console's end-to-end tests: Debian's `chromium`
// package driven by playwright-core. Without a browser the tests skip, saying
// why — unless WAYSTATION_TEST_BROWSER is set (CI), where they must run.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];

export const chromiumPath = CANDIDATES.find((p) => existsSync(p));

export const browserRequired = Boolean(process.env.WAYSTATION_TEST_BROWSER);

/** Why the browser tests cannot run here, or undefined when they can. */
export const skipReason =
  chromiumPath || browserRequired ? undefined : `no Chromium at ${CANDIDATES.join(' or ')} (apt-get install chromium; .ci/run does)`;

export function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error(`WAYSTATION_TEST_BROWSER is set but no Chromium was found at ${CANDIDATES.join(', ')}`);
  return chromium.launch({
    executablePath: chromiumPath,
    // The flags this machine needs: no sandbox as root, no GPU, and no
    // background calls to Google's hosts (the network is closed).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}
