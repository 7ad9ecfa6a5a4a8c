// Remembers prompt prefixes it has seen, so a repeated long prompt reports
// cached input tokens the way the providers' prompt caches do. Bounded; only
// consulted for prompts long enough to be cached, so short calls pay nothing.

import { createHash } from 'node:crypto';

/** Prompts shorter than this (in tokens) are never cached, as with the real services. */
export const MIN_CACHED_TOKENS = 1024;

export class PromptCache {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 2000) {}

  /** True when this prefix was seen before; remembers it either way. */
  hit(prefix: string): boolean {
    const key = createHash('sha1').update(prefix).digest('base64');
    if (this.seen.has(key)) return true;
    if (this.seen.size >= this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(key);
    return false;
  }
}

/**
 * Whether a prompt's cacheable prefix (`prefixTokens` long) was seen before:
 * `short` when it is too short to cache at all. `key` is only built for
 * prefixes long enough to cache.
 */
export function lookupPrefix(cache: PromptCache, prefixTokens: number, key: () => string): 'short' | 'hit' | 'miss' {
  if (prefixTokens < MIN_CACHED_TOKENS) return 'short';
  return cache.hit(key()) ? 'hit' : 'miss';
}
