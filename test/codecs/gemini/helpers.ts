// Fixture loading and golden-file comparison for the Gemini codec tests.
// Goldens live in fixtures/expected/; regenerate them after a deliberate change
// with `UPDATE_GOLDEN=1 npx vitest run test/codecs/gemini` and review the diff.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { GatewayError } from '../../../src/dialects/errors.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixtureText(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** Replaces what is random or time-bound (generated call ids, `created`) with stable markers. */
export function stable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (key === 'created' && typeof v === 'number') return 0;
      if (typeof v === 'string') return v.replace(/call_[0-9a-f]{24}/g, 'call_<generated>');
      return v;
    }),
  );
}

export function golden(name: string, actual: unknown): void {
  const path = `${FIXTURES}expected/${name}.json`;
  const value = stable(actual);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  expect(existsSync(path), `golden file ${name}.json is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(value).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}

/** Runs fn and returns the GatewayError it throws; fails on success or on any other error (a TypeError). */
export function gatewayErrorOf(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw new Error(`expected a GatewayError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a GatewayError, but nothing was thrown');
}

const GARBAGE: unknown[] = [null, 0, -1, 1.5, '', 'x', true, [], [null], {}, { parts: 1 }];

/**
 * Calls `run` on copies of `fixture` with every value, at every depth, swapped
 * for each kind of garbage in turn. Returns how many variants ran.
 */
export function forEachGarbageVariant(fixture: Record<string, unknown>, run: (variant: Record<string, unknown>) => void): number {
  let count = 0;
  const visit = (node: unknown, replace: (v: unknown) => void): void => {
    for (const g of GARBAGE) {
      replace(g);
      run(structuredClone(fixture));
      count++;
    }
    replace(node);
    if (Array.isArray(node)) node.forEach((v, i) => visit(v, (x) => (node[i] = x)));
    else if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const k of Object.keys(obj)) visit(obj[k], (x) => (obj[k] = x));
    }
  };
  for (const k of Object.keys(fixture)) visit(fixture[k], (x) => (fixture[k] = x));
  return count;
}

/** Runs fn; passes when it returns or throws a GatewayError of one of `kinds`. */
export function onlyGatewayErrors(fn: () => unknown, kinds: string[]): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    expect(kinds).toContain((err as GatewayError).kind);
  }
}
