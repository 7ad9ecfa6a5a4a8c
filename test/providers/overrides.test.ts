import { describe, expect, test } from 'vitest';
import { applyHeaderOverride, applyParamOverride, headerOverride, mappedStatus, paramOverride } from '../../src/providers/overrides.js';

describe('param_override', () => {
  test('sets top-level and nested fields, null removes, the original is untouched', () => {
    const body = { model: 'm', temperature: 1, generationConfig: { topK: 3, temperature: 0.2 }, user: 'u' };
    const out = applyParamOverride(body, { temperature: 0.5, 'generationConfig.temperature': 0.9, 'generationConfig.seed': 7, user: null, 'a.b.c': true });
    expect(out).toEqual({ model: 'm', temperature: 0.5, generationConfig: { topK: 3, temperature: 0.9, seed: 7 }, a: { b: { c: true } } });
    expect(body).toEqual({ model: 'm', temperature: 1, generationConfig: { topK: 3, temperature: 0.2 }, user: 'u' });
  });

  test('prototype paths are ignored', () => {
    const out = applyParamOverride({}, { '__proto__.polluted': 1, 'constructor.prototype.x': 1, 'x..y': 1 });
    expect(out).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('read from settings only when it is a non-empty object', () => {
    expect(paramOverride({ param_override: {} })).toBeUndefined();
    expect(paramOverride({ param_override: [1] })).toBeUndefined();
    expect(paramOverride({ param_override: { a: 1 } })).toEqual({ a: 1 });
  });
});

describe('header_override', () => {
  test('sets, replaces case-insensitively, removes with an empty value, fills {api_key}', () => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-goog-api-key': 'k1', 'user-agent': 'ws' };
    const override = headerOverride({ header_override: { 'content-type': 'application/json; charset=utf-8', 'User-Agent': '', 'X-Custom-Auth': 'Key {api_key}', bad: 3 } })!;
    applyHeaderOverride(headers, override, 'k1');
    expect(headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'x-goog-api-key': 'k1', 'x-custom-auth': 'Key k1' });
  });
});

describe('status_code_mapping', () => {
  test('maps listed statuses only, to valid codes', () => {
    const settings = { status_code_mapping: { '404': 500, '400': '503', '429': 'x', '401': 42 } };
    expect(mappedStatus(settings, 404)).toBe(500);
    expect(mappedStatus(settings, 400)).toBe(503);
    expect(mappedStatus(settings, 429)).toBe(429);
    expect(mappedStatus(settings, 401)).toBe(401);
    expect(mappedStatus({}, 500)).toBe(500);
  });
});
