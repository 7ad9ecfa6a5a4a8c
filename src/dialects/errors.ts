// One error type for the whole gateway. Each dialect renders it in its own
// wire shape (./<dialect>/errors.ts); the kind decides the status and type.

export type ErrorKind =
  | 'invalid_request' // 400
  | 'authentication' // 401
  | 'permission' // 403
  | 'not_found' // 404
  | 'method_not_allowed' // 405
  | 'request_too_large' // 413
  | 'unsupported_media_type' // 415
  | 'rate_limit' // 429: too many requests
  | 'quota' // 429 (OpenAI) / 402-ish: out of money
  | 'internal' // 500
  | 'upstream' // 502: the upstream answered badly or the connection broke
  | 'unavailable' // 503: nothing can serve this right now
  | 'timeout'; // 504

const defaultStatus: Record<ErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_too_large: 413,
  unsupported_media_type: 415,
  rate_limit: 429,
  quota: 429,
  internal: 500,
  upstream: 502,
  unavailable: 503,
  timeout: 504,
};

export interface GatewayErrorOptions {
  status?: number;
  /** The request field at fault, when there is one. */
  param?: string;
  /** A machine-readable code (OpenAI `code`, Gemini `reason`). */
  code?: string;
  /** Seconds; sent as `retry-after`. */
  retryAfter?: number;
}

export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly param: string | undefined;
  readonly code: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(kind: ErrorKind, message: string, opts: GatewayErrorOptions = {}) {
    super(message);
    this.name = 'GatewayError';
    this.kind = kind;
    this.status = opts.status ?? defaultStatus[kind];
    this.param = opts.param;
    this.code = opts.code;
    this.retryAfter = opts.retryAfter;
  }
}

/** Maps any HTTP status to the nearest kind (for upstream statuses). */
export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_request';
    case 401:
      return 'authentication';
    case 402:
      return 'quota';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'request_too_large';
    case 415:
      return 'unsupported_media_type';
    case 408:
    case 504:
      return 'timeout';
    case 429:
      return 'rate_limit';
    case 503:
    case 529:
      return 'unavailable';
    default:
      return status >= 500 ? 'upstream' : 'invalid_request';
  }
}

/** A rendered error: what goes on the wire. */
export interface RenderedError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
