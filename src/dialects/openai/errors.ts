import type { GatewayError, RenderedError } from '../errors.js';

const typeByKind: Record<GatewayError['kind'], string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  unsupported_media_type: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  quota: 'insufficient_quota',
  internal: 'server_error',
  upstream: 'upstream_error',
  unavailable: 'server_error',
  timeout: 'timeout_error',
};

/** `{"error":{"message","type","param","code"}}` — what the openai SDK parses. */
export function renderOpenAIError(err: GatewayError): RenderedError {
  return {
    status: err.status,
    body: {
      error: {
        message: err.message,
        type: typeByKind[err.kind],
        param: err.param ?? null,
        code: err.code ?? null,
      },
    },
  };
}
