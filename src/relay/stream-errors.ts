import type { GatewayError } from '../dialects/errors.js';
import { renderError } from '../dialects/render-error.js';
import type { DialectName } from '../dialects/types.js';

/**
 * The last event of a stream that broke after the first byte, in the client's
 * dialect, so its SDK raises an error instead of ending quietly.
 */
export function streamErrorEvent(dialect: DialectName, err: GatewayError): string {
  const body = JSON.stringify(renderError(dialect, err).body);
  if (dialect === 'anthropic') return `event: error\ndata: ${body}\n\n`;
  if (dialect === 'gemini') return `data: ${body}\r\n\r\n`;
  return `data: ${body}\n\n`;
}
