// Fixture loading and golden comparison for the Responses codec tests.
// `UPDATE_GOLDEN=1 npx vitest run test/codecs/openai-responses` rewrites the
// expected files; review the diff before keeping it.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { SseParser } from '../../../src/dialects/canonical/sse.js';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixtureNames(prefix: 'request' | 'response' | 'stream'): string[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.startsWith(`${prefix}-`))
    .sort();
}

export function loadJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as Record<string, unknown>;
}

export function loadBytes(name: string): Buffer {
  return readFileSync(join(fixturesDir, name));
}

/** Invented ids (`<prefix>_` + 32 hex) vary per run: golden files hold `<prefix>_*`. */
export function normalizeIds<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/"(resp|msg|rs|fc|ig)_[0-9a-f]{32}"/g, '"$1_*"')) as T;
}

/** Encoder outputs hold invented ids: pass `normalize` to compare them as `<prefix>_*`. */
export function expectGolden(name: string, actual: unknown, normalize = false): void {
  const file = join(fixturesDir, 'expected', name);
  const normalized = normalize ? normalizeIds(actual) : JSON.parse(JSON.stringify(actual));
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    if (!process.env.UPDATE_GOLDEN) throw new Error(`missing golden file ${file}: run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(normalized, null, 2)}\n`);
  }
  expect(normalized).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

export interface ParsedFrame {
  event: string | undefined;
  data: Record<string, unknown>;
}

/** SSE text → frames with parsed JSON data. */
export function parseSse(text: string): ParsedFrame[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((f) => ({ event: f.event, data: JSON.parse(f.data) as Record<string, unknown> }));
}
