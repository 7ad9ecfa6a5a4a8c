// Refusals worded the way OpenAI words them, so a client sees the message and
// `param` its SDK would show for api.openai.com.
import { GatewayError } from '../../errors.js';

/** "a string", "an integer", "an array"… as OpenAI names a JSON value's type. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function listValues(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

/** Shows a refused value without echoing a megabyte of it back. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function missingParam(param: string): GatewayError {
  return new GatewayError('invalid_request', `Missing required parameter: '${param}'.`, { param, code: 'missing_required_parameter' });
}

export function invalidType(param: string, expected: string, value: unknown): GatewayError {
  return new GatewayError('invalid_request', `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`, {
    param,
    code: 'invalid_type',
  });
}

export interface InvalidValueWording {
  /** Narrows "Supported values are", e.g. "for gemini-3-pro-image-preview". */
  context?: string;
  /** A sentence added at the end. */
  hint?: string;
}

export function invalidValue(param: string, value: unknown, supported: readonly string[], wording: InvalidValueWording = {}): GatewayError {
  const context = wording.context ? ` ${wording.context}` : '';
  const tail = supported.length > 0 ? ` Supported values${context} are: ${listValues(supported)}.` : '';
  const hint = wording.hint ? ` ${wording.hint}` : '';
  return new GatewayError('invalid_request', `Invalid value: '${showValue(value)}'.${tail}${hint}`, {
    param,
    code: 'invalid_value',
  });
}

/** Any other refusal of one parameter, in free words. */
export function invalidParam(param: string, message: string, code = 'invalid_value'): GatewayError {
  return new GatewayError('invalid_request', message, { param, code });
}
