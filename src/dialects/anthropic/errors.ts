import type { GatewayError, RenderedError } from '../errors.js';

const typeByKind: Record<GatewayError['kind'], string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  method_not_allowed: 'invalid_request_error',
  request_too_large: 'request_too_large',
  unsupported_media_type: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  quota: 'rate_limit_error',
  internal: 'api_error',
  upstream: 'api_error',
  unavailable: 'overloaded_error',
  timeout: 'api_error',
};

/** `{"type":"error","error":{"type","message"}}` — Anthropic's error envelope. */
export function renderAnthropicError(err: GatewayError): RenderedError {
  return {
    status: err.status,
    body: { type: 'error', error: { type: typeByKind[err.kind], message: err.message } },
  };
}
