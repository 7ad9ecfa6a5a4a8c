import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/dialects/errors.js';
import { parseMultipart } from '../../src/media/multipart-files.js';

const BOUNDARY = '----waystation-test';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

type Part = { name: string; value: string | Buffer; filename?: string; type?: string };

function body(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    const head = `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const LIMITS = { maxFiles: 3, maxFileBytes: 1024 };

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('parseMultipart', () => {
  it('returns text fields and files with their bytes, names and declared types', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const form = await parseMultipart(
      body([
        { name: 'prompt', value: 'a hat, please ✓' },
        { name: 'n', value: '2' },
        { name: 'image[]', value: bytes, filename: 'a.png', type: 'image/png' },
        { name: 'image[]', value: Buffer.from('second'), filename: 'b.jpg', type: 'image/jpeg' },
      ]),
      TYPE,
      LIMITS,
    );
    expect({ ...form.fields }).toEqual({ prompt: 'a hat, please ✓', n: '2' });
    expect(form.files).toEqual([
      { field: 'image[]', filename: 'a.png', mimeType: 'image/png', data: bytes },
      { field: 'image[]', filename: 'b.jpg', mimeType: 'image/jpeg', data: Buffer.from('second') },
    ]);
  });

  it('keeps a field named __proto__ as a plain field', async () => {
    const form = await parseMultipart(body([{ name: '__proto__', value: 'x' }, { name: 'prompt', value: 'p' }]), TYPE, LIMITS);
    expect(form.fields.prompt).toBe('p');
    expect(Object.getPrototypeOf(form.fields)).toBeNull();
    expect(form.fields['__proto__']).toBe('x');
  });

  it('refuses a file over maxFileBytes with 413 and the parameter', async () => {
    const err = await failure(parseMultipart(body([{ name: 'image[]', value: Buffer.alloc(2048), filename: 'big.png', type: 'image/png' }]), TYPE, LIMITS));
    expect(err.kind).toBe('request_too_large');
    expect(err.param).toBe('image');
  });

  it('refuses more files than maxFiles', async () => {
    const parts = Array.from({ length: 4 }, (_, i) => ({ name: 'image[]', value: 'x', filename: `${i}.png`, type: 'image/png' }));
    const err = await failure(parseMultipart(body(parts), TYPE, LIMITS));
    expect(err.kind).toBe('invalid_request');
    expect(err.message).toContain('at most 3');
  });

  it('refuses malformed bodies and content types as invalid_request', async () => {
    expect((await failure(parseMultipart(Buffer.from('garbage'), 'multipart/form-data', LIMITS))).kind).toBe('invalid_request');
    expect((await failure(parseMultipart(Buffer.from('{}'), 'application/json', LIMITS))).kind).toBe('invalid_request');
    const truncated = body([{ name: 'prompt', value: 'p' }]).subarray(0, 40);
    expect((await failure(parseMultipart(truncated, TYPE, LIMITS))).message).toMatch(/^Malformed multipart body/);
  });
});
