// Typed reads of client JSON. Absent and null read alike (the OpenAI SDK sends
// null for unset fields); a wrong type throws invalid_request naming the field's
// path, in OpenAI's own wording, so a client sees what to fix.
import { GatewayError } from '../../errors.js';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a decimal';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v;
}

export function wrongType(param: string, expected: string, got: unknown): GatewayError {
  return invalid(param, `Invalid type for '${param}': expected ${expected}, but got ${describe(got)} instead.`);
}

export function badValue(param: string, got: unknown, allowed: readonly string[]): GatewayError {
  const shown = typeof got === 'string' ? `'${got}'` : describe(got);
  return invalid(param, `Invalid value for '${param}': ${shown}. Supported values are: ${allowed.map((a) => `'${a}'`).join(', ')}.`);
}

export function missing(param: string): GatewayError {
  return invalid(param, `Missing required parameter: '${param}'.`);
}

export function objectAt(v: unknown, param: string): JsonObject {
  if (!isObject(v)) throw wrongType(param, 'an object', v);
  return v;
}

export function stringAt(v: unknown, param: string): string {
  if (typeof v !== 'string') throw v === undefined || v === null ? missing(param) : wrongType(param, 'a string', v);
  return v;
}

export function optString(v: unknown, param: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wrongType(param, 'a string', v);
  return v;
}

export function optNumber(v: unknown, param: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(param, 'a number', v);
  return v;
}

export function optInteger(v: unknown, param: string, min: number): number | undefined {
  const n = optNumber(v, param);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n)) throw wrongType(param, 'an integer', v);
  if (n < min) throw invalid(param, `Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${n} instead.`);
  return n;
}

export function optBoolean(v: unknown, param: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw wrongType(param, 'a boolean', v);
  return v;
}

export function optObject(v: unknown, param: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  return objectAt(v, param);
}

export function optArray(v: unknown, param: string): unknown[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw wrongType(param, 'an array', v);
  return v;
}

/** One of the allowed strings, or undefined when absent. */
export function optEnum<T extends string>(v: unknown, param: string, allowed: readonly T[]): T | undefined {
  const s = optString(v, param);
  if (s === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(s)) throw badValue(param, s, allowed);
  return s as T;
}
