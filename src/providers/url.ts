const splits = new Map<string, { origin: string; basePath: string }>();

/** Splits a channel base URL into origin and path prefix, without a trailing slash (memoised: it runs per request). */
export function splitBaseUrl(baseUrl: string): { origin: string; basePath: string } {
  let split = splits.get(baseUrl);
  if (!split) {
    const u = new URL(baseUrl);
    split = { origin: u.origin, basePath: u.pathname.replace(/\/+$/, '') };
    if (splits.size > 1000) splits.clear();
    splits.set(baseUrl, split);
  }
  return split;
}

const VERSION_SUFFIX = /\/v\d+[a-z0-9]*$/i;

/**
 * Joins a base path and an operation path that carries its own version prefix
 * (`/v1/chat/completions`). Operators write base URLs with or without a version
 * (`https://api.openai.com/v1`, `…/compatible-mode/v1`, `…/api/paas/v4`): a
 * version already on the base replaces the operation's.
 */
export function joinVersioned(basePath: string, versionedPath: string): string {
  if (VERSION_SUFFIX.test(basePath)) return basePath + versionedPath.replace(/^\/v\d+[a-z0-9]*/i, '');
  return basePath + versionedPath;
}
