// Response status ↔ canonical finish reason, and upstream error codes ↔ HTTP
// statuses (a Responses stream reports failures as events, not statuses).
import type { FinishReason } from '../../canonical/types.js';
import type { GatewayError } from '../../errors.js';
import { isObject } from './json-read.js';

export type ResponseStatus = 'completed' | 'incomplete';
export type IncompleteReason = 'max_output_tokens' | 'content_filter';

/** A finished response's status → canonical. Calls mean `tool_calls` whatever the upstream said (clients loop on it). */
export function decodeFinish(status: unknown, incompleteDetails: unknown, hasToolCalls: boolean): FinishReason {
  if (status === 'incomplete') {
    const reason = isObject(incompleteDetails) ? incompleteDetails.reason : undefined;
    if (reason === 'max_output_tokens') return 'length';
    if (reason === 'content_filter') return 'content_filter';
    return 'other';
  }
  if (status === 'completed' || status === undefined || status === null) return hasToolCalls ? 'tool_calls' : 'stop';
  if (status === 'failed') return 'error';
  return 'other';
}

export function encodeFinish(reason: FinishReason | undefined): { status: ResponseStatus; incompleteReason?: IncompleteReason } {
  if (reason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (reason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

/** An upstream error code (event `error`, `response.failed`) → the HTTP status it stands for. */
export function statusForErrorCode(code: unknown): number {
  if (typeof code !== 'string') return 502;
  if (code === 'rate_limit_exceeded' || code === 'insufficient_quota') return 429;
  if (code === 'server_error') return 500;
  if (code === 'context_length_exceeded' || code.startsWith('invalid_') || code.startsWith('image_') || code.includes('_image')) return 400;
  return 502;
}

const codeByKind: Partial<Record<GatewayError['kind'], string>> = {
  invalid_request: 'invalid_request_error',
  authentication: 'invalid_api_key',
  permission: 'permission_denied',
  not_found: 'model_not_found',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_exceeded',
  quota: 'insufficient_quota',
  timeout: 'timeout',
};

/** The code a client sees for a gateway error (Codex, for one, stops retrying on `insufficient_quota`). */
export function errorCodeFor(err: GatewayError): string {
  return err.code ?? codeByKind[err.kind] ?? 'server_error';
}
