// Typed reads of untrusted JSON with Anthropic-style errors (`path: message`),
// so a decoder given garbage throws GatewayError('invalid_request'), never a TypeError.
import { GatewayError } from '../../errors.js';

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function invalid(path: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${path}: ${message}`, { param: path });
}

/** null and undefined both mean "absent" on Anthropic's API. */
export function absent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

export function requireRecord(v: unknown, path: string): Json {
  if (absent(v)) throw invalid(path, 'Field required');
  if (!isRecord(v)) throw invalid(path, 'Input should be an object');
  return v;
}

export function requireArray(v: unknown, path: string): unknown[] {
  if (absent(v)) throw invalid(path, 'Field required');
  if (!Array.isArray(v)) throw invalid(path, 'Input should be a valid list');
  return v;
}

export function requireString(v: unknown, path: string): string {
  if (absent(v)) throw invalid(path, 'Field required');
  if (typeof v !== 'string') throw invalid(path, 'Input should be a valid string');
  return v;
}

export function optionalString(v: unknown, path: string): string | undefined {
  return absent(v) ? undefined : requireString(v, path);
}

export function optionalBoolean(v: unknown, path: string): boolean | undefined {
  if (absent(v)) return undefined;
  if (typeof v !== 'boolean') throw invalid(path, 'Input should be a valid boolean');
  return v;
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

export function requireNumber(v: unknown, path: string, rule: NumberRule = {}): number {
  if (absent(v)) throw invalid(path, 'Field required');
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(path, 'Input should be a valid number');
  if (rule.integer && !Number.isInteger(v)) throw invalid(path, 'Input should be a valid integer');
  if (rule.min !== undefined && v < rule.min) throw invalid(path, `Input should be greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && v > rule.max) throw invalid(path, `Input should be less than or equal to ${rule.max}`);
  return v;
}

export function optionalNumber(v: unknown, path: string, rule: NumberRule = {}): number | undefined {
  return absent(v) ? undefined : requireNumber(v, path, rule);
}

export function optionalStringArray(v: unknown, path: string): string[] | undefined {
  if (absent(v)) return undefined;
  const list = requireArray(v, path);
  list.forEach((s, i) => requireString(s, `${path}.${i}`));
  return list as string[];
}
