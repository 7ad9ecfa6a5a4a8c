import busboy from 'busboy';
import { GatewayError } from '../dialects/errors.js';

/** Parses a JSON request body, refusing what is not a JSON object. */
export function parseJsonBody(raw: Buffer | undefined): Record<string, unknown> {
  if (!raw || raw.length === 0) throw new GatewayError('invalid_request', 'The request body is empty; expected a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new GatewayError('invalid_request', `The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('invalid_request', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** Reads the plain text fields of a multipart/form-data body (files are skipped, not kept). */
export function multipartFields(raw: Buffer, contentType: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { fieldSize: 1024 * 1024 } });
    } catch (err) {
      reject(new GatewayError('invalid_request', `Malformed multipart body: ${(err as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('close', () => resolve(fields));
    parser.on('error', (err) => reject(new GatewayError('invalid_request', `Malformed multipart body: ${(err as Error).message}`)));
    parser.end(raw);
  });
}
