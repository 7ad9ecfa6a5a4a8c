// What a page did wrong while a test drove it: uncaught errors, and answers
// of the management API with a 5xx status (a page must never cause those).
import type { Page } from 'playwright-core';

export interface PageWatch {
  errors: string[];
  serverErrors: string[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], serverErrors: [] };
  page.on('pageerror', (err) => watch.errors.push(err.message));
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/api/') && res.status() >= 500) watch.serverErrors.push(`${res.request().method()} ${url.pathname}${url.search} → ${res.status()}`);
  });
  return watch;
}
