// Loads the golden fixtures next to the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as Record<string, unknown>;
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(fixturesDir, name));
}

export function fixtureNames(prefix: string): string[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.startsWith(prefix))
    .sort();
}

/** A 1×1 PNG, base64: the image every fixture uses. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
