import { renderAnthropicError } from './anthropic/errors.js';
import type { GatewayError, RenderedError } from './errors.js';
import { renderGeminiError } from './gemini/errors.js';
import { renderOpenAIError } from './openai/errors.js';
import type { DialectName } from './types.js';

/** Renders an error in the client's dialect, with `retry-after` when it has one. */
export function renderError(dialect: DialectName, err: GatewayError): RenderedError {
  const rendered =
    dialect === 'gemini' ? renderGeminiError(err) : dialect === 'anthropic' ? renderAnthropicError(err) : renderOpenAIError(err);
  if (err.retryAfter !== undefined) rendered.headers = { 'retry-after': String(Math.max(0, Math.ceil(err.retryAfter))) };
  return rendered;
}
