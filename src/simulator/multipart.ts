// multipart/form-data bodies (image edits, transcriptions), parsed with busboy
// from the buffered body. Files stay as the Buffers busboy hands over; the
// journal gets a summary (fields, and each file's name, type and size).

import busboy from 'busboy';

export interface FormFile {
  /** The form field the file came in (`image`, `image[]`, `mask`, `file`). */
  field: string;
  filename: string;
  /** The part's Content-Type as sent (`application/octet-stream` when none was given). */
  mimeType: string;
  data: Buffer;
}

export class MultipartForm {
  readonly fields = new Map<string, string[]>();
  readonly files: FormFile[] = [];

  /** The first value of a text field. */
  field(name: string): string | undefined {
    return this.fields.get(name)?.[0];
  }

  /** Every value of a field that may repeat (`include[]`, `timestamp_granularities[]`). */
  all(name: string): string[] {
    return this.fields.get(name) ?? [];
  }

  filesNamed(...names: string[]): FormFile[] {
    return this.files.filter((f) => names.includes(f.field));
  }

  /** What the journal keeps: text fields as sent, files by name, type and size. */
  summary(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, values] of this.fields) out[name] = values.length === 1 ? values[0] : values;
    out.files = this.files.map((f) => ({ field: f.field, filename: f.filename, contentType: f.mimeType, bytes: f.data.length }));
    return out;
  }
}

export class MultipartError extends Error {}

/** Parses a buffered multipart body; rejects with a MultipartError OpenAI-style message. */
export function parseMultipart(body: Buffer, contentType: string | undefined): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    if (!contentType || !/^multipart\/form-data/i.test(contentType)) {
      reject(new MultipartError(`Invalid Content-Type header (${contentType ?? 'none'}), expected multipart/form-data. (HINT: If you're using curl, you can pass -F 'field=value' or -F 'file=@path' to send a multipart form.)`));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { fieldSize: 8 * 1024 * 1024 } });
    } catch (err) {
      reject(new MultipartError(`Could not parse multipart form: ${(err as Error).message}`));
      return;
    }
    const form = new MultipartForm();
    parser.on('field', (name, value) => {
      const list = form.fields.get(name);
      if (list) list.push(value);
      else form.fields.set(name, [value]);
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const data = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        form.files.push({ field, filename: info.filename ?? '', mimeType: info.mimeType || 'application/octet-stream', data });
      });
    });
    parser.on('close', () => resolve(form));
    parser.on('error', (err) => reject(new MultipartError(`Could not parse multipart form: ${(err as Error).message}`)));
    parser.end(body);
  });
}
