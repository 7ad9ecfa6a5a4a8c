import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MASK_INSTRUCTION, decodeImageEdit, type UploadedFile } from '../../src/dialects/openai/images/edits-request.js';
import { sniffImageMime } from '../../src/dialects/openai/images/sniff-image.js';
import { refusal } from './helpers.js';
import { ftypHeader, makeImage } from './images.js';

const PRO = 'gemini-3-pro-image-preview';
let png: Buffer;
let jpeg: Buffer;
let webp: Buffer;
let gif: Buffer;
let maskPng: Buffer;

beforeAll(async () => {
  [png, jpeg, webp, gif, maskPng] = await Promise.all([
    makeImage('png'),
    makeImage('jpeg'),
    makeImage('webp'),
    makeImage('gif'),
    makeImage('png', 8, 8, true),
  ]);
});

function file(field: string, data: Buffer, mimeType = 'image/png', filename = 'in.png'): UploadedFile {
  return { field, filename, mimeType, data };
}

describe('sniffImageMime', () => {
  it('knows each format by its bytes', () => {
    expect(sniffImageMime(png)).toBe('image/png');
    expect(sniffImageMime(jpeg)).toBe('image/jpeg');
    expect(sniffImageMime(webp)).toBe('image/webp');
    expect(sniffImageMime(gif)).toBe('image/gif');
    expect(sniffImageMime(ftypHeader('heic', 'mif1', 'heic'))).toBe('image/heic');
    expect(sniffImageMime(ftypHeader('mif1', 'mif1'))).toBe('image/heif');
  });

  it('refuses text, empty input, video and AVIF', () => {
    expect(sniffImageMime(Buffer.from('this is not a picture at all, just text'))).toBeUndefined();
    expect(sniffImageMime(Buffer.alloc(0))).toBeUndefined();
    expect(sniffImageMime(ftypHeader('isom', 'isom', 'mp41'))).toBeUndefined();
    expect(sniffImageMime(ftypHeader('avif', 'avif', 'mif1', 'miaf'))).toBeUndefined();
  });

  it('refuses a real AVIF made by sharp', async () => {
    const avif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).avif().toBuffer();
    expect(avif.toString('latin1', 4, 8)).toBe('ftyp');
    expect(sniffImageMime(avif)).toBeUndefined();
  });
});

describe('decodeImageEdit', () => {
  it('turns the prompt and one image into one user turn, with the sniffed type', () => {
    const decoded = decodeImageEdit({ prompt: 'make it red', model: PRO }, [file('image', jpeg, 'image/png')], PRO);
    const parts = decoded.request.messages[0]!.parts;
    expect(parts[0]).toEqual({ type: 'text', text: 'make it red' });
    expect(parts[1]).toEqual({ type: 'image', mimeType: 'image/jpeg', data: jpeg.toString('base64') });
    expect(parts).toHaveLength(2);
    expect(decoded.request.modalities).toEqual(['text', 'image']);
    expect(decoded.request.stream).toBe(false);
    expect(decoded.request.model).toBe(PRO);
    expect(decoded.n).toBe(1);
    expect(decoded.responseFormat).toBe('b64_json');
    expect(decoded.outputFormat).toBe('png');
  });

  it('takes repeated image[] fields in order, and every supported format', () => {
    const files = [file('image[]', png), file('image[]', webp, 'image/webp'), file('image[]', gif, 'image/gif')];
    const parts = decodeImageEdit({ prompt: 'combine' }, files, PRO).request.messages[0]!.parts;
    expect(parts.map((p) => (p.type === 'image' ? p.mimeType : p.type))).toEqual(['text', 'image/png', 'image/webp', 'image/gif']);
  });

  it('reads form fields as text: n, size, formats, extension fields', () => {
    const decoded = decodeImageEdit(
      { prompt: 'p', n: '3', size: '1024x1536', response_format: 'url', output_format: 'jpeg', output_compression: '80', image_size: '2K', user: 'u1' },
      [file('image', png)],
      'gemini-3.1-flash-image-preview',
    );
    expect(decoded).toMatchObject({ n: 3, responseFormat: 'url', outputFormat: 'jpeg', outputCompression: 80 });
    expect(decoded.request.image).toEqual({ aspectRatio: '2:3', imageSize: '2K' });
    expect(decoded.request.user).toBe('u1');
    expect(decoded.request.model).toBe('gemini-3.1-flash-image-preview');
  });

  it('leaves the ratio to the model (the input shape) when no size is sent', () => {
    expect(decodeImageEdit({ prompt: 'p', size: 'auto' }, [file('image', png)], PRO).request.image).toBeUndefined();
  });

  it('sends the mask as one more image, last, and says what it means', () => {
    const decoded = decodeImageEdit({ prompt: 'add a hat' }, [file('image', png), file('mask', maskPng)], PRO);
    const parts = decoded.request.messages[0]!.parts;
    expect(parts).toHaveLength(3);
    expect(parts[0]).toEqual({ type: 'text', text: `add a hat\n\n${MASK_INSTRUCTION}` });
    expect(parts[2]).toEqual({ type: 'image', mimeType: 'image/png', data: maskPng.toString('base64') });
    expect(MASK_INSTRUCTION).toContain('transparent');
  });

  it('ignores file fields it does not know', () => {
    const parts = decodeImageEdit({ prompt: 'p' }, [file('image', png), file('attachment', Buffer.from('x'))], PRO).request.messages[0]!.parts;
    expect(parts).toHaveLength(2);
  });
});

describe('decodeImageEdit: refusals', () => {
  it('refuses a missing or empty prompt', () => {
    expect(refusal(() => decodeImageEdit({}, [file('image', png)], PRO), 'prompt').message).toBe("Missing required parameter: 'prompt'.");
    refusal(() => decodeImageEdit({ prompt: '' }, [file('image', png)], PRO), 'prompt');
  });

  it('refuses an edit with no image', () => {
    expect(refusal(() => decodeImageEdit({ prompt: 'p' }, [], PRO), 'image').code).toBe('missing_required_parameter');
    refusal(() => decodeImageEdit({ prompt: 'p' }, [file('mask', maskPng)], PRO), 'image');
  });

  it('refuses a fake .png that is really text, whatever it declares', () => {
    const fake = file('image', Buffer.from('hello, I am a text file pretending to be a PNG image'), 'image/png', 'fake.png');
    const err = refusal(() => decodeImageEdit({ prompt: 'p' }, [fake], PRO), 'image');
    expect(err.message).toContain('fake.png');
    expect(err.message).toContain("declared 'image/png'");
    expect(err.code).toBe('invalid_image_format');
  });

  it('names which of several images is bad', () => {
    const err = refusal(() => decodeImageEdit({ prompt: 'p' }, [file('image[]', png), file('image[]', Buffer.from('nope'), 'image/jpeg', 'b.jpg')], PRO), 'image');
    expect(err.message).toContain("'image[1]'");
  });

  it('refuses more images than the model takes (14), and a mask that pushes past it', () => {
    const fourteen = Array.from({ length: 14 }, () => file('image[]', png));
    expect(decodeImageEdit({ prompt: 'p' }, fourteen, PRO).request.messages[0]!.parts).toHaveLength(15);
    const err = refusal(() => decodeImageEdit({ prompt: 'p' }, [...fourteen, file('image[]', png)], PRO), 'image');
    expect(err.code).toBe('array_above_max_length');
    expect(err.message).toContain('14');
    refusal(() => decodeImageEdit({ prompt: 'p' }, [...fourteen, file('mask', maskPng)], PRO), 'mask');
    refusal(() => decodeImageEdit({ prompt: 'p' }, [...fourteen, file('image[]', png)], 'gemini-2.5-flash-image'), 'image');
  });

  it('refuses a mask that is not a PNG, or two masks', () => {
    expect(refusal(() => decodeImageEdit({ prompt: 'p' }, [file('image', png), file('mask', jpeg, 'image/png')], PRO), 'mask').message).toContain('PNG');
    refusal(() => decodeImageEdit({ prompt: 'p' }, [file('image', png), file('mask', Buffer.from('text'))], PRO), 'mask');
    refusal(() => decodeImageEdit({ prompt: 'p' }, [file('image', png), file('mask', maskPng), file('mask', maskPng)], PRO), 'mask');
  });

  it('refuses bad n, formats and sizes as generations do', () => {
    refusal(() => decodeImageEdit({ prompt: 'p', n: '11' }, [file('image', png)], PRO), 'n');
    refusal(() => decodeImageEdit({ prompt: 'p', n: 'two' }, [file('image', png)], PRO), 'n');
    refusal(() => decodeImageEdit({ prompt: 'p', n: '1.5' }, [file('image', png)], PRO), 'n');
    refusal(() => decodeImageEdit({ prompt: 'p', response_format: 'file' }, [file('image', png)], PRO), 'response_format');
    refusal(() => decodeImageEdit({ prompt: 'p', output_format: 'bmp' }, [file('image', png)], PRO), 'output_format');
    refusal(() => decodeImageEdit({ prompt: 'p', size: '1:8' }, [file('image', png)], PRO), 'size');
    refusal(() => decodeImageEdit({ prompt: 'p', image_size: '512' }, [file('image', png)], PRO), 'image_size');
    refusal(() => decodeImageEdit({ prompt: 'p', stream: 'true' }, [file('image', png)], PRO), 'stream');
  });

  it('treats a field named __proto__ as just a field', () => {
    const fields = JSON.parse('{"prompt":"p","__proto__":"x"}') as Record<string, string>;
    expect(decodeImageEdit(fields, [file('image', png)], PRO).request.model).toBe(PRO);
  });
});
