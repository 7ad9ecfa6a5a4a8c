// Error bodies exactly as each provider sends them, plus the key rules every
// route shares: no key, a key containing "invalid", a key containing "nocredit".

export type Dialect = 'openai' | 'anthropic' | 'gemini';

export interface SimError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function openaiError(
  status: number,
  message: string,
  type = 'invalid_request_error',
  param: string | null = null,
  code: string | null = null,
): SimError {
  return { status, body: { error: { message, type, param, code } } };
}

/** Tells a refusal from a reader's successful result. */
export function isSimError(value: unknown): value is SimError {
  return typeof value === 'object' && value !== null && typeof (value as SimError).status === 'number' && 'body' in value;
}

/** `'a', 'b', and 'c'`, as OpenAI lists supported values. */
export function listValues(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return quoted.length > 2 ? `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}` : quoted.join('');
}

export function openaiMissing(param: string): SimError {
  return openaiError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', param, 'missing_required_parameter');
}

export function openaiInvalidValue(param: string, value: unknown, supported: readonly string[]): SimError {
  return openaiError(400, `Invalid value: '${String(value)}'. Supported values are: ${listValues(supported)}.`, 'invalid_request_error', param, 'invalid_value');
}

export function openaiModelNotFound(model: string): SimError {
  return openaiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found');
}

export function anthropicError(status: number, type: string, message: string): SimError {
  return { status, body: { type: 'error', error: { type, message } } };
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function geminiError(status: number, message: string, details?: unknown[]): SimError {
  const error: Record<string, unknown> = { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN' };
  if (details) error.details = details;
  return { status, body: { error } };
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The body a provider sends for a bare status (the numeric faults). */
export function statusError(dialect: Dialect, status: number): SimError {
  const err = statusErrorBody(dialect, status);
  if (status === 429) err.headers = { 'retry-after': '1' };
  return err;
}

function statusErrorBody(dialect: Dialect, status: number): SimError {
  if (dialect === 'gemini') {
    if (status === 429) {
      return geminiError(429, 'Resource has been exhausted (e.g. check quota).', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
      ]);
    }
    if (status === 503) return geminiError(503, 'The model is overloaded. Please try again later.');
    if (status === 504) return geminiError(504, 'Deadline expired before operation could complete.');
    if (status >= 500) {
      return geminiError(status, 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    }
    return geminiError(status, `Simulated error ${status}.`);
  }
  if (dialect === 'anthropic') {
    const type = ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    const message =
      status === 429 ? 'Number of request tokens has exceeded your per-minute rate limit' :
      status === 529 ? 'Overloaded' :
      status === 503 ? 'Service unavailable' :
      status >= 500 ? 'Internal server error' : `Simulated error ${status}`;
    return anthropicError(status, type, message);
  }
  if (status === 429) {
    return openaiError(429, 'Rate limit reached for requests. Please try again in 1s.', 'requests', null, 'rate_limit_exceeded');
  }
  if (status === 503) return openaiError(503, 'The engine is currently overloaded, please try again later.', 'server_error');
  if (status >= 500) {
    return openaiError(status, 'The server had an error while processing your request. Sorry about that!', 'server_error');
  }
  return openaiError(status, `Simulated error ${status}.`);
}

function maskKey(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 8)}${'*'.repeat(Math.min(20, key.length - 12))}${key.slice(-4)}`;
}

/** The refusal for a missing or special key, or undefined when the key is accepted. */
export function keyError(dialect: Dialect, key: string | undefined): SimError | undefined {
  if (!key) {
    if (dialect === 'gemini') {
      return geminiError(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (dialect === 'anthropic') return anthropicError(401, 'authentication_error', 'x-api-key header is required');
    return openaiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    );
  }
  if (key.includes('invalid')) {
    if (dialect === 'gemini') {
      const message = 'API key not valid. Please pass a valid API key.';
      return geminiError(400, message, [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      ]);
    }
    if (dialect === 'anthropic') return anthropicError(401, 'authentication_error', 'invalid x-api-key');
    return openaiError(
      401,
      `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      null,
      'invalid_api_key',
    );
  }
  if (key.includes('nocredit')) {
    if (dialect === 'gemini') {
      return geminiError(
        429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
              },
            ],
          },
          { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
        ],
      );
    }
    if (dialect === 'anthropic') {
      return anthropicError(
        400,
        'invalid_request_error',
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      );
    }
    return openaiError(
      429,
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      'insufficient_quota',
      null,
      'insufficient_quota',
    );
  }
  return undefined;
}

/** A plain error with this status and message, in the dialect's shape. */
export function dialectError(dialect: Dialect, status: number, message: string): SimError {
  if (dialect === 'gemini') return geminiError(status, message);
  const type = status >= 500 ? 'api_error' : ANTHROPIC_TYPES[status] ?? 'invalid_request_error';
  if (dialect === 'anthropic') return anthropicError(status, type, message);
  return openaiError(status, message, status >= 500 ? 'server_error' : 'invalid_request_error');
}

/** The answer to a body that is not JSON. */
export function malformedJsonError(dialect: Dialect, detail: string): SimError {
  if (dialect === 'gemini') return geminiError(400, `Invalid JSON payload received. ${detail}`);
  if (dialect === 'anthropic') return anthropicError(400, 'invalid_request_error', `There was an error parsing the body: ${detail}`);
  return openaiError(
    400,
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
  );
}

/** The answer to a path the simulator does not serve. */
export function routeNotFoundError(dialect: Dialect, method: string, path: string): SimError {
  if (dialect === 'gemini') return geminiError(404, `Method not found: ${method} ${path}`);
  if (dialect === 'anthropic') return anthropicError(404, 'not_found_error', `Not Found: ${method} ${path}`);
  return openaiError(404, `Invalid URL (${method} ${path})`);
}
