// multipart/form-data with files (images/edits): text fields and file parts,
// each file bounded in size and number, read from a body already in memory.
import busboy from 'busboy';
import { GatewayError } from '../dialects/errors.js';
import type { UploadedFile } from '../dialects/openai/images/edits-request.js';

export interface MultipartLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export interface MultipartForm {
  /** A null-prototype object: a field named `__proto__` is just a field. */
  fields: Record<string, string>;
  files: UploadedFile[];
}

const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_FIELDS = 100;

function malformed(message: string): GatewayError {
  return new GatewayError('invalid_request', `Malformed multipart body: ${message}`);
}

export function parseMultipart(raw: Buffer, contentType: string, limits: MultipartLimits): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { files: limits.maxFiles, fileSize: limits.maxFileBytes, fieldSize: MAX_FIELD_BYTES, fields: MAX_FIELDS },
      });
    } catch (err) {
      reject(malformed((err as Error).message));
      return;
    }
    const fields = Object.create(null) as Record<string, string>;
    const files: UploadedFile[] = [];
    let failure: GatewayError | undefined;
    const fail = (err: GatewayError): void => {
      failure ??= err;
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new GatewayError('request_too_large', `The field '${name}' is larger than ${MAX_FIELD_BYTES} bytes.`, { param: name }));
      else fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () =>
        fail(new GatewayError('request_too_large', `The file in '${field}' is larger than ${limits.maxFileBytes} bytes.`, { param: fieldParam(field) })),
      );
      stream.on('end', () => {
        if (stream.truncated) return;
        const file: UploadedFile = { field, mimeType: info.mimeType, data: Buffer.concat(chunks) };
        if (info.filename !== undefined) file.filename = info.filename;
        files.push(file);
      });
    });
    parser.on('filesLimit', () => fail(new GatewayError('invalid_request', `Too many files: at most ${limits.maxFiles} are accepted.`, { param: 'image' })));
    parser.on('fieldsLimit', () => fail(malformed(`more than ${MAX_FIELDS} fields`)));
    parser.on('partsLimit', () => fail(malformed('too many parts')));
    parser.on('error', (err) => reject(malformed((err as Error).message)));
    parser.on('close', () => (failure ? reject(failure) : resolve({ fields, files })));
    parser.end(raw);
  });
}

/** `image[]` and `image[2]` are all the `image` parameter to a client. */
function fieldParam(field: string): string {
  return field.replace(/\[\d*\]$/, '');
}
