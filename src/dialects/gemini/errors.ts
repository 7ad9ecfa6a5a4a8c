import type { GatewayError, RenderedError } from '../errors.js';

// google.rpc.Code names, keyed by HTTP status as Google's REST mapping does.
const statusByHttp: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function geminiStatusName(httpStatus: number): string {
  return statusByHttp[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
}

/** `{"error":{"code","message","status"}}` — Google's REST error body. */
export function renderGeminiError(err: GatewayError): RenderedError {
  const error: Record<string, unknown> = {
    code: err.status,
    message: err.message,
    status: geminiStatusName(err.status),
  };
  if (err.code) {
    error.details = [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: err.code, domain: 'waystation' },
    ];
  }
  return { status: err.status, body: { error } };
}
