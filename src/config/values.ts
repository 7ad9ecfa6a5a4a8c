// Parsers for the values of process settings. Each returns the parsed value or
// throws an Error whose message completes "<flag or VAR>: …".
import { parseDatabaseUrl } from '../store/database-url.js';

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * `1048576`, `512kb`, `32mb`, `1.5gb` → bytes. Units are binary (1kb = 1024)
 * and case-insensitive, as in Fastify's and Express's body limits.
 */
export function parseByteSize(s: string | number): number {
  if (typeof s === 'number') {
    if (Number.isSafeInteger(s) && s >= 0) return s;
    throw new Error(`expected a size like 32mb, 512kb or 1048576, got ${s}`);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(s);
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new Error(`expected a size like 32mb, 512kb or 1048576, got ${JSON.stringify(s)}`);
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes)) throw new Error(`size is too large: ${JSON.stringify(s)}`);
  return bytes;
}

/** `30000`, `30000ms`, `30s`, `2m` → milliseconds. */
export function parseDurationMs(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(s);
  if (!m) throw new Error(`expected a duration such as 30000 (ms), 30s, 2m, 24h or 7d, got ${JSON.stringify(s)}`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms').toLowerCase() as 'ms' | 's' | 'm' | 'h' | 'd'];
  const ms = Math.round(Number(m[1]) * factor);
  if (!Number.isSafeInteger(ms)) throw new Error(`duration is too large: ${JSON.stringify(s)}`);
  return ms;
}

/** A decimal integer and nothing else ("08" is fine, "1e3", "3.0", " 3" are not). */
export function parseIntStrict(s: string): number | undefined {
  return /^\d+$/.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined;
}

export function parsePort(s: string): number {
  const n = parseIntStrict(s);
  // 0 asks the OS for any free port: what tests that start `serve` use.
  if (n === undefined || n > 65535) throw new Error(`expected an integer 1-65535, got ${JSON.stringify(s)}`);
  return n;
}

export function parseBoolean(s: string): boolean {
  const v = s.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`expected true or false, got ${JSON.stringify(s)}`);
}

export function parseWorkers(s: string, cpuCount: number): number {
  if (s.trim().toLowerCase() === 'auto') return Math.max(1, cpuCount);
  const n = parseIntStrict(s);
  if (n === undefined || n < 1 || n > 1024) {
    throw new Error(`expected a positive integer or "auto", got ${JSON.stringify(s)}`);
  }
  return n;
}

/** Checked by the store's own parser, so settings accept exactly what openDatabase opens. */
export function parseDatabaseUrlSetting(s: string): string {
  parseDatabaseUrl(s);
  return s.trim();
}

export function parseRedisUrl(s: string): string {
  if (/^rediss?:\/\/.+/.test(s)) return s;
  throw new Error(`expected a redis:// or rediss:// URL, got ${JSON.stringify(s)}`);
}

/** A value that is a single token: no spaces, tabs or control characters. */
export function parseWord(what: string) {
  return (s: string): string => {
    if (s.length === 0 || /[\s\x00-\x1f]/.test(s)) throw new Error(`expected ${what}, got ${JSON.stringify(s)}`);
    return s;
  };
}

export function parsePath(s: string): string {
  if (s.trim().length === 0) throw new Error('expected a path, got an empty value');
  return s;
}

export function parseOneOf<T extends string>(choices: readonly T[]) {
  return (s: string): T => {
    const v = s.trim().toLowerCase();
    if ((choices as readonly string[]).includes(v)) return v as T;
    throw new Error(`expected one of ${choices.join(', ')}, got ${JSON.stringify(s)}`);
  };
}
