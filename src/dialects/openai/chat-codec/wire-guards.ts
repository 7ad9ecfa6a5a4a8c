// Reading untrusted JSON without TypeErrors: every accessor checks the type and
// throws GatewayError('invalid_request') worded the way OpenAI words it.
import { GatewayError } from '../../errors.js';

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Present and not null: OpenAI treats an explicit null like an absent field. */
export function given<T>(v: T): v is Exclude<T, undefined | null> {
  return v !== undefined && v !== null;
}

/** OpenAI's names for JSON types in "expected X, but got Y instead". */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return Number.isInteger(v) ? 'an integer' : 'a decimal';
    case 'object':
      return 'an object';
    default:
      return 'an unsupported value';
  }
}

export function invalidType(param: string, expected: string, got: unknown): GatewayError {
  return new GatewayError('invalid_request', `Invalid type for '${param}': expected ${expected}, but got ${describeType(got)} instead.`, {
    param,
    code: 'invalid_type',
  });
}

export function missingParam(param: string): GatewayError {
  return new GatewayError('invalid_request', `Missing required parameter: '${param}'.`, { param, code: 'missing_required_parameter' });
}

export function invalidValue(param: string, value: unknown, supported: readonly string[]): GatewayError {
  const list = supported.map((s) => `'${s}'`);
  const spelled = list.length > 1 ? `${list.slice(0, -1).join(', ')}, and ${list[list.length - 1]}` : (list[0] ?? '');
  return new GatewayError('invalid_request', `Invalid value: '${shortValue(value)}'. Supported values are: ${spelled}.`, {
    param,
    code: 'invalid_value',
  });
}

/** A value quoted in an error message, cut short so a huge string never lands in a log. */
export function shortValue(v: unknown): string {
  const s = typeof v === 'string' ? v : v === undefined ? 'undefined' : JSON.stringify(v) ?? String(v);
  return s.length > 64 ? `${s.slice(0, 61)}...` : s;
}

// The `…At` readers treat a missing field as missing, not as a wrong type.

export function objectAt(v: unknown, param: string): Json {
  if (v === undefined) throw missingParam(param);
  if (!isRecord(v)) throw invalidType(param, 'an object', v);
  return v;
}

export function arrayAt(v: unknown, param: string, expected = 'an array'): unknown[] {
  if (v === undefined) throw missingParam(param);
  if (!Array.isArray(v)) throw invalidType(param, expected, v);
  return v;
}

export function stringAt(v: unknown, param: string): string {
  if (v === undefined) throw missingParam(param);
  if (typeof v !== 'string') throw invalidType(param, 'a string', v);
  return v;
}

/** Optional fields: absent and null both mean "not given", as OpenAI treats them. */
export function optionalString(v: unknown, param: string): string | undefined {
  return v === undefined || v === null ? undefined : stringAt(v, param);
}

export function optionalBoolean(v: unknown, param: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidType(param, 'a boolean', v);
  return v;
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

export function optionalNumber(v: unknown, param: string, rule: NumberRule = {}): number | undefined {
  if (v === undefined || v === null) return undefined;
  const kind = rule.integer ? 'integer' : 'decimal';
  if (typeof v !== 'number' || !Number.isFinite(v) || (rule.integer && !Number.isInteger(v))) {
    throw invalidType(param, rule.integer ? 'an integer' : 'a number', v);
  }
  if (rule.min !== undefined && v < rule.min) {
    throw new GatewayError('invalid_request', `Invalid '${param}': ${kind} below minimum value. Expected a value >= ${rule.min}, but got ${v} instead.`, {
      param,
      code: rule.integer ? 'integer_below_min_value' : 'decimal_below_min_value',
    });
  }
  if (rule.max !== undefined && v > rule.max) {
    throw new GatewayError('invalid_request', `Invalid '${param}': ${kind} above maximum value. Expected a value <= ${rule.max}, but got ${v} instead.`, {
      param,
      code: rule.integer ? 'integer_above_max_value' : 'decimal_above_max_value',
    });
  }
  return v;
}
