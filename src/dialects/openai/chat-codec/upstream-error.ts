// An `{"error":{…}}` body from an OpenAI-compatible upstream, in a whole answer
// or as a stream frame. OpenRouter and others put the HTTP status in `code`.
import { GatewayError, kindForStatus } from '../../errors.js';
import { isRecord, type Json } from './wire-guards.js';

export interface WireError {
  status: number;
  message: string;
}

export function readWireError(error: Json): WireError {
  const code = error.code;
  const numeric = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : NaN;
  const status = Number.isInteger(numeric) && numeric >= 400 && numeric <= 599 ? numeric : 502;
  const message = typeof error.message === 'string' && error.message ? error.message : 'The upstream reported an error.';
  return { status, message };
}

/** The error an answer holds, or undefined when it holds none. */
export function errorInBody(json: Json): GatewayError | undefined {
  if (!isRecord(json.error)) return undefined;
  const { status, message } = readWireError(json.error);
  return new GatewayError(kindForStatus(status), message, { status });
}
