// The OpenAI SDK against a tiny server built from these pieces: decode the
// body, "generate" an image of the pixel size the model would render, answer.
// Shows the SDK sends what the decoders expect and parses what the encoder says.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedImagesRequest } from '../../src/dialects/openai/images/canonical-request.js';
import { decodeImageEdit } from '../../src/dialects/openai/images/edits-request.js';
import { decodeImageGeneration } from '../../src/dialects/openai/images/generation-request.js';
import { encodeImagesResponse } from '../../src/dialects/openai/images/response.js';
import { GatewayError } from '../../src/dialects/errors.js';
import { renderOpenAIError } from '../../src/dialects/openai/errors.js';
import { imageModelSpec, pixelSize } from '../../src/dialects/gemini/image-models.js';
import { parseMultipart } from '../../src/media/multipart-files.js';
import { makeImage } from './images.js';

let server: Server;
let client: OpenAI;
const seen: DecodedImagesRequest[] = [];

async function answer(decoded: DecodedImagesRequest): Promise<unknown> {
  seen.push(decoded);
  const spec = imageModelSpec(decoded.request.model)!;
  const { width, height } = pixelSize(spec, decoded.request.image?.aspectRatio, decoded.request.image?.imageSize);
  const png = await sharp({ create: { width, height, channels: 3, background: '#ffcc00' } }).png().toBuffer();
  const images = Array.from({ length: decoded.n }, () => ({ b64: png.toString('base64'), revisedPrompt: 'a banana' }));
  return encodeImagesResponse({ created: 1_700_000_000, images, outputFormat: decoded.outputFormat, quality: decoded.quality });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const type = req.headers['content-type'] ?? '';
      const decode = async (): Promise<DecodedImagesRequest> => {
        if (req.url === '/v1/images/generations') return decodeImageGeneration(JSON.parse(raw.toString('utf8')));
        const form = await parseMultipart(raw, type, { maxFiles: 20, maxFileBytes: 1 << 20 });
        return decodeImageEdit(form.fields, form.files, form.fields.model ?? '');
      };
      decode()
        .then(answer)
        .then((body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        })
        .catch((err: unknown) => {
          const rendered = renderOpenAIError(err instanceof GatewayError ? err : new GatewayError('internal', String(err)));
          res.writeHead(rendered.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(rendered.body));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the openai SDK through the images pieces', () => {
  it('generates: size maps to the model, the SDK parses the answer', async () => {
    const res = await client.images.generate({ model: 'gemini-3.1-flash-image-preview', prompt: 'a banana', size: '1536x1024', n: 2, quality: 'medium' });
    expect(res.created).toBe(1_700_000_000);
    expect(res.data).toHaveLength(2);
    expect(res.data?.[0]?.revised_prompt).toBe('a banana');
    expect(res.size).toBe('1264x848'); // 3:2 at 1K for the Gemini 3 family
    expect(res.quality).toBe('medium');
    expect(res.output_format).toBe('png');
    const meta = await sharp(Buffer.from(res.data![0]!.b64_json!, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([1264, 848]);
  });

  it('edits: the SDK multipart (image[] and mask) is parsed and decoded', async () => {
    const png = await makeImage('png', 16, 16);
    const jpeg = await makeImage('jpeg', 16, 16);
    const mask = await makeImage('png', 16, 16, true);
    const res = await client.images.edit({
      model: 'gemini-3-pro-image-preview',
      prompt: 'add a hat',
      image: [await toFile(png, 'a.png', { type: 'image/png' }), await toFile(jpeg, 'b.jpg', { type: 'image/jpeg' })],
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      size: '1024x1024',
    });
    expect(res.data).toHaveLength(1);
    const decoded = seen[seen.length - 1]!;
    const parts = decoded.request.messages[0]!.parts;
    expect(parts.map((p) => (p.type === 'image' ? p.mimeType : p.type))).toEqual(['text', 'image/png', 'image/jpeg', 'image/png']);
    expect(decoded.request.image).toEqual({ aspectRatio: '1:1', imageSize: '1K' });
  });

  it('refusals reach the SDK as a BadRequestError with param', async () => {
    const failure = await client.images
      .generate({ model: 'gemini-3-pro-image-preview', prompt: 'p', size: '1:8' as '1024x1024' })
      .then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('size');

    const fake = await client.images
      .edit({ model: 'gemini-3-pro-image-preview', prompt: 'p', image: await toFile(Buffer.from('just text'), 'fake.png', { type: 'image/png' }) })
      .then(() => undefined, (err: unknown) => err);
    expect(fake).toBeInstanceOf(OpenAI.BadRequestError);
    expect((fake as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('fake.png');
  });
});
