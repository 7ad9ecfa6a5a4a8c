// What a page did wrong while a test drove it: uncaught errors, errors React
// logs to the console (a render error caught by an error boundary is not an
// uncaught error), and answers of the management API with a 5xx status (a
// page must never cause those).
import type { Page } from 'playwright-core';

export interface PageWatch {
  errors: string[];
  serverErrors: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], serverErrors: [] };
  page.on('pageerror', (err) => watch.errors.push(err.message));
  page.on('console', (msg) => {
    // React reports render failures and misuse (e.g. an effect returning a promise) through console.error.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) watch.errors.push(msg.text().split('\n')[0]!);
  });
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/') && res.status() >= 500) watch.serverErrors.push(`${res.request().method()} ${url.pathname}${url.search} → ${res.status()}`);
  });
  return watch;
}
