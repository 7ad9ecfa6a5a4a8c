// /v1/chat/completions with a Gemini image model, through the openai SDK: the
// image comes back as message.images and/or markdown in content per output
// mode (images | markdown | both | url), whole and streamed; image options are
// honoured; http image inputs are fetched behind the SSRF guard; an earlier
// answer's image goes back upstream as an inline part with a signature.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SKIP_SIGNATURE } from '../../src/dialects/gemini/codec/index.js';
import { MAX_MARKDOWN_FRAME_BYTES } from '../../src/dialects/openai/chat-codec/stream-encode.js';
import OpenAI from 'openai';
import { MARKDOWN_TOKEN_KEY, MODE_MODELS, TOKEN_KEY, apiError, imageConfigOf, inlineParts, isPng, makePng, pngSize, startRig, type Rig } from './helpers.js';

let rig: Rig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());
beforeEach(() => rig.clearJournal());

const DATA_PNG = 'data:image/png;base64,';
const MARKDOWN_IMAGE = /!\[image\]\(([^)\s]+)\)/g;

function markdownUrls(content: string | null | undefined): string[] {
  return [...(content ?? '').matchAll(MARKDOWN_IMAGE)].map((m) => m[1]!);
}

function dataUrlPng(url: string): Buffer {
  expect(url.startsWith(DATA_PNG)).toBe(true);
  return Buffer.from(url.slice(DATA_PNG.length), 'base64');
}

async function fetchPng(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  return Buffer.from(await res.arrayBuffer());
}

const ask = (model: string, extra: Record<string, unknown> = {}) =>
  rig.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'draw a banana' }], ...extra } as any) as Promise<any>;

describe('whole answers, per output mode', () => {
  it('both (the default): message.images and a markdown image in content, the same PNG', async () => {
    const { data: res, response } = await rig.client.chat.completions
      .create({ model: 'gemini-2.5-flash-image', messages: [{ role: 'user', content: 'draw a banana' }] })
      .withResponse();
    const message = res.choices[0]!.message as any;
    expect(message.images).toHaveLength(1);
    expect(message.images[0].type).toBe('image_url');
    const listed = dataUrlPng(message.images[0].image_url.url);
    expect(pngSize(listed)).toEqual({ width: 1024, height: 1024 });
    const inContent = markdownUrls(message.content);
    expect(inContent).toEqual([message.images[0].image_url.url]);
    // The model's words come first, then the image after a blank line.
    expect(message.content.indexOf('![image]')).toBeGreaterThan(0);
    expect(message.content).toContain('\n\n![image](');
    expect(res.choices[0]!.finish_reason).toBe('stop');

    const calls = await rig.geminiCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(calls[0]!.body.generationConfig.responseModalities).toEqual(['TEXT', 'IMAGE']);

    const row = await rig.row(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ status: 200, image_count: 1, image_size: '1K' });
    expect(row.cost_detail.images).toBe(39_000);
    expect(res.usage!.completion_tokens).toBeGreaterThanOrEqual(1290);
  });

  it('images: message.images only, content without markdown', async () => {
    const res = await ask(MODE_MODELS.images);
    const message = res.choices[0].message;
    expect(message.images).toHaveLength(1);
    expect(pngSize(dataUrlPng(message.images[0].image_url.url))).toEqual({ width: 1024, height: 1024 });
    expect(message.content).not.toContain('![image]');
    expect(message.content.length).toBeGreaterThan(0);
  });

  it('markdown: the image only as a markdown data URL in content', async () => {
    const res = await ask(MODE_MODELS.markdown);
    const message = res.choices[0].message;
    expect(message.images).toBeUndefined();
    const urls = markdownUrls(message.content);
    expect(urls).toHaveLength(1);
    expect(pngSize(dataUrlPng(urls[0]!))).toEqual({ width: 1024, height: 1024 });
  });

  it('url: a signed link on the gateway in both places; the link serves the PNG', async () => {
    const res = await ask(MODE_MODELS.url);
    const message = res.choices[0].message;
    const link: string = message.images[0].image_url.url;
    expect(link.startsWith(`${rig.gw.url}/v1/files/images/`)).toBe(true);
    expect(markdownUrls(message.content)).toEqual([link]);
    expect(message.content).not.toContain('base64');
    expect(pngSize(await fetchPng(link))).toEqual({ width: 1024, height: 1024 });
  });
});

/** A raw SSE read of a streamed chat answer (to see frame sizes the SDK hides). */
async function rawStream(body: Record<string, unknown>): Promise<{ frames: string[]; chunks: any[]; content: string; images: any[]; requestId: string | null }> {
  const res = await fetch(`${rig.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
    body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'draw a banana' }], ...body }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const text = await res.text();
  const frames = text.split('\n\n').filter((f) => f.trim() !== '');
  expect(frames[frames.length - 1]).toBe('data: [DONE]');
  const chunks = frames.slice(0, -1).map((f) => {
    expect(f.startsWith('data: ')).toBe(true);
    return JSON.parse(f.slice(6));
  });
  let content = '';
  const images: any[] = [];
  for (const c of chunks) {
    const delta = c.choices[0]?.delta;
    if (typeof delta?.content === 'string') content += delta.content;
    if (delta?.images) images.push(...delta.images);
  }
  return { frames, chunks, content, images, requestId: res.headers.get('x-request-id') };
}

/** No frame carrying content (markdown) is larger than the bound; the image list may be one big frame. */
function expectBoundedContentFrames(frames: string[]): void {
  for (const frame of frames) {
    if (frame.includes('"content":')) expect(Buffer.byteLength(frame) + 2).toBeLessThanOrEqual(MAX_MARKDOWN_FRAME_BYTES);
  }
}

describe('streamed answers, per output mode', () => {
  it('both: delta.images carries the PNG; the markdown arrives in frames of at most 16 KiB', async () => {
    const s = await rawStream({ model: 'gemini-2.5-flash-image', stream_options: { include_usage: true } });
    expect(s.images).toHaveLength(1);
    expect(s.images[0]).toMatchObject({ index: 0, type: 'image_url' });
    const png = dataUrlPng(s.images[0].image_url.url);
    expect(pngSize(png)).toEqual({ width: 1024, height: 1024 });
    const urls = markdownUrls(s.content);
    expect(urls).toEqual([s.images[0].image_url.url]);
    // A 1.4 MB PNG is about 1.9 MB of base64: many frames, none over the bound.
    const contentFrames = s.frames.filter((f) => f.includes('"content":'));
    expect(contentFrames.length).toBeGreaterThan(100);
    expectBoundedContentFrames(s.frames);
    // include_usage: a last chunk with no choices and the usage.
    const last = s.chunks[s.chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage.completion_tokens).toBeGreaterThanOrEqual(1290);

    const calls = await rig.geminiCalls();
    expect(calls[0]!.path).toBe('/v1beta/models/gemini-2.5-flash-image:streamGenerateContent');
    const row = await rig.row(s.requestId);
    expect(row).toMatchObject({ status: 200, is_stream: true, image_count: 1 });
    expect(row.cost_detail.images).toBe(39_000);
  });

  it('markdown: no delta.images; the data URL arrives split, reassembles to the PNG', async () => {
    const s = await rawStream({ model: MODE_MODELS.markdown });
    expect(s.images).toHaveLength(0);
    const urls = markdownUrls(s.content);
    expect(urls).toHaveLength(1);
    expect(pngSize(dataUrlPng(urls[0]!))).toEqual({ width: 1024, height: 1024 });
    expectBoundedContentFrames(s.frames);
  });

  it('images: delta.images only, no markdown in content', async () => {
    const s = await rawStream({ model: MODE_MODELS.images });
    expect(s.images).toHaveLength(1);
    expect(pngSize(dataUrlPng(s.images[0].image_url.url))).toEqual({ width: 1024, height: 1024 });
    expect(s.content).not.toContain('![image]');
    expect(s.content.length).toBeGreaterThan(0);
  });

  it('url: small frames with a gateway link in delta.images and in the markdown', async () => {
    const s = await rawStream({ model: MODE_MODELS.url });
    expect(s.images).toHaveLength(1);
    const link: string = s.images[0].image_url.url;
    expect(link.startsWith(`${rig.gw.url}/v1/files/images/`)).toBe(true);
    expect(markdownUrls(s.content)).toEqual([link]);
    for (const f of s.frames) expect(Buffer.byteLength(f)).toBeLessThan(4096);
    expect(pngSize(await fetchPng(link))).toEqual({ width: 1024, height: 1024 });
  });

  it('through the SDK stream (3 Pro, which sends thought images first): one image, the final one', async () => {
    const stream = await rig.client.chat.completions.create({ model: 'gemini-3-pro-image-preview', stream: true, messages: [{ role: 'user', content: 'a plum' }] });
    let images = 0;
    let content = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as any;
      if (delta?.images) images += delta.images.length;
      if (delta?.content) content += delta.content;
    }
    expect(images).toBe(1);
    expect(markdownUrls(content)).toHaveLength(1);
  });
});

describe('image options', () => {
  it('image_config {aspect_ratio, image_size}: the upstream gets the imageConfig; the PNG has that size', async () => {
    const res = await ask('gemini-3-pro-image-preview', { image_config: { aspect_ratio: '16:9', image_size: '2K' } });
    expect(pngSize(dataUrlPng(res.choices[0].message.images[0].image_url.url))).toEqual({ width: 2752, height: 1536 });
    const [call] = await rig.geminiCalls();
    expect(imageConfigOf(call!.body)).toEqual({ aspectRatio: '16:9', imageSize: '2K' });
    // 3 Pro's thought images never reach the client.
    expect(res.choices[0].message.images).toHaveLength(1);
  });

  it('extra_body.google.image_config (as tools send it) is honoured', async () => {
    const res = await ask('gemini-3.1-flash-image-preview', { extra_body: { google: { image_config: { aspect_ratio: '4:1', image_size: '512' } } } });
    expect(pngSize(dataUrlPng(res.choices[0].message.images[0].image_url.url))).toEqual({ width: 1024, height: 256 });
    const [call] = await rig.geminiCalls();
    expect(imageConfigOf(call!.body)).toEqual({ aspectRatio: '4:1', imageSize: '512' });
  });

  it('modalities ["text"]: no image asked, none answered, none billed', async () => {
    const { data: res, response } = await rig.client.chat.completions
      .create({ model: 'gemini-2.5-flash-image', modalities: ['text'], messages: [{ role: 'user', content: 'describe a banana' }] })
      .withResponse();
    expect((res.choices[0]!.message as any).images).toBeUndefined();
    expect(res.choices[0]!.message.content).toBeTruthy();
    const [call] = await rig.geminiCalls();
    expect(call!.body.generationConfig.responseModalities).toEqual(['TEXT']);
    const row = await rig.row(response.headers.get('x-request-id'));
    expect(row.image_count).toBe(0);
  });

  it('modalities ["image", "text"]: both asked upstream', async () => {
    const res = await ask('gemini-2.5-flash-image', { modalities: ['image', 'text'] });
    expect(res.choices[0].message.images).toHaveLength(1);
    const [call] = await rig.geminiCalls();
    expect([...call!.body.generationConfig.responseModalities].sort()).toEqual(['IMAGE', 'TEXT']);
  });

  it('an image_config the model cannot do is refused in OpenAI’s shape before the upstream', async () => {
    const err = await apiError(ask('gemini-3-pro-image-preview', { image_config: { image_size: '512' } }));
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: 'invalid_request_error' });
    expect(await rig.geminiCalls()).toHaveLength(0);
  });
});

describe('image inputs', () => {
  let images: Server;
  let imagesUrl: string;
  let hits = 0;
  const served = makePng(48, 32);

  beforeAll(async () => {
    images = createServer((req, res) => {
      hits++;
      if (req.url === '/cat.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': served.length });
        res.end(served);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => images.close(() => resolve())));

  const withImage = (url: string) => [{ role: 'user', content: [{ type: 'text', text: 'edit this' }, { type: 'image_url', image_url: { url } }] }];

  it('a data URL image becomes an inline part', async () => {
    const res = await ask('gemini-2.5-flash-image', { messages: withImage(`data:image/png;base64,${served.toString('base64')}`) });
    expect(res.choices[0].message.images).toHaveLength(1);
    const [call] = await rig.geminiCalls();
    expect(inlineParts(call!.body)).toEqual([{ role: 'user', mimeType: 'image/png', data: served.toString('base64'), thoughtSignature: undefined }]);
  });

  it('an http image URL on a private address is refused by default (SSRF guard): 400, upstream never called', async () => {
    const before = hits;
    const err = await apiError(ask('gemini-2.5-flash-image', { messages: withImage(`${imagesUrl}/cat.png`) }));
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', message: expect.any(String) });
    expect(hits).toBe(before); // not even the image server was reached
    expect(await rig.journal()).toHaveLength(0);
    const row = await rig.row(err.headers?.get('x-request-id'));
    expect(row).toMatchObject({ status: 400, cost_micros: 0 });
  });

  describe('with imageFetchAllowPrivate', () => {
    let open: Rig;
    beforeAll(async () => {
      open = await startRig({ imageFetchAllowPrivate: true });
    });
    afterAll(() => open.close());

    it('the gateway fetches the image and sends it inline', async () => {
      const res = (await open.client.chat.completions.create({ model: 'gemini-3.1-flash-image-preview', messages: withImage(`${imagesUrl}/cat.png`) } as any)) as any;
      // No aspect ratio asked: the simulator follows the input image (3:2).
      expect(pngSize(dataUrlPng(res.choices[0].message.images[0].image_url.url))).toEqual({ width: 1264, height: 848 });
      const [call] = await open.geminiCalls();
      const [part] = inlineParts(call!.body);
      expect(part).toMatchObject({ mimeType: 'image/png', data: served.toString('base64') });
      expect(JSON.stringify(call!.body)).not.toContain(imagesUrl);
    });

    it('a URL that is not an image (404) is refused, upstream never called', async () => {
      await open.clearJournal();
      const err = await apiError(open.client.chat.completions.create({ model: 'gemini-2.5-flash-image', messages: withImage(`${imagesUrl}/missing.png`) } as any));
      expect(err.status).toBe(400);
      expect(await open.journal()).toHaveLength(0);
    });
  });
});

describe('multi-turn chat edit', () => {
  it('the first answer’s image goes back upstream as one inline model part with a thought signature', async () => {
    const model = 'gemini-3-pro-image-preview';
    const first = await ask(model, { messages: [{ role: 'user', content: 'a red car' }] });
    const firstMessage = first.choices[0].message;
    const firstUrl: string = firstMessage.images[0].image_url.url;
    const firstB64 = firstUrl.slice(DATA_PNG.length);
    expect(isPng(Buffer.from(firstB64.slice(0, 12), 'base64'))).toBe(true);
    await rig.clearJournal();

    // The assistant turn as an OpenAI client keeps it: content (with its markdown image) and images.
    const second = await ask(model, {
      messages: [
        { role: 'user', content: 'a red car' },
        { role: 'assistant', content: firstMessage.content, images: firstMessage.images },
        { role: 'user', content: 'now make it blue' },
      ],
    });
    expect(second.choices[0].message.images).toHaveLength(1);

    const [call] = await rig.geminiCalls();
    const contents = call!.body.contents;
    expect(contents.map((c: any) => c.role)).toEqual(['user', 'model', 'user']);
    const parts = inlineParts(call!.body);
    // Listed and in markdown, but one image: sent once.
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ role: 'model', mimeType: 'image/png', data: firstB64 });
    // The OpenAI wire cannot carry Google's signature: the documented skip value stands in.
    expect(parts[0]!.thoughtSignature).toBe(SKIP_SIGNATURE);
    // The markdown is not sent back as text.
    expect(JSON.stringify(contents[1])).not.toContain('![image]');
    expect(contents[2].parts[0].text).toBe('now make it blue');
  });

  it('in url mode, the gateway’s own image link in the history is read from its store (no fetch, no SSRF refusal)', async () => {
    const first = await ask(MODE_MODELS.url, { messages: [{ role: 'user', content: 'a yellow kite' }] });
    const link: string = first.choices[0].message.images[0].image_url.url;
    const stored = await fetchPng(link);
    await rig.clearJournal();
    const second = await ask(MODE_MODELS.url, {
      messages: [
        { role: 'user', content: 'a yellow kite' },
        { role: 'assistant', content: first.choices[0].message.content, images: first.choices[0].message.images },
        { role: 'user', content: 'add a tail' },
      ],
    });
    expect(second.choices[0].message.images).toHaveLength(1);
    const [call] = await rig.geminiCalls();
    const parts = inlineParts(call!.body);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ role: 'model', mimeType: 'image/png', data: stored.toString('base64') });
    expect(parts[0]!.thoughtSignature).toBe(SKIP_SIGNATURE);
    // Listed and in the markdown: one image, and no link left as text.
    expect(JSON.stringify(call!.body.contents[1])).not.toContain('/v1/files/images/');
  });

  it('in url mode, a client that keeps only content: the link in the markdown is read back as the image', async () => {
    const first = await ask(MODE_MODELS.url, { messages: [{ role: 'user', content: 'a red kite' }] });
    const content: string = first.choices[0].message.content;
    const [link] = markdownUrls(content);
    const stored = await fetchPng(link!);
    await rig.clearJournal();
    await ask(MODE_MODELS.url, {
      messages: [
        { role: 'user', content: 'a red kite' },
        { role: 'assistant', content },
        { role: 'user', content: 'add a tail' },
      ],
    });
    const [call] = await rig.geminiCalls();
    const parts = inlineParts(call!.body);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ role: 'model', mimeType: 'image/png', data: stored.toString('base64'), thoughtSignature: SKIP_SIGNATURE });
    // The link itself is not sent to the model as text.
    expect(JSON.stringify(call!.body.contents[1])).not.toContain('/v1/files/images/');
  });

  it('a forged link to the gateway’s image path is not read from the store (still refused as a private address)', async () => {
    const first = await ask(MODE_MODELS.url, { messages: [{ role: 'user', content: 'a blue kite' }] });
    const forged = new URL(first.choices[0].message.images[0].image_url.url);
    forged.searchParams.set('signature', '0'.repeat(64));
    await rig.clearJournal();
    const err = await apiError(
      ask(MODE_MODELS.url, {
        messages: [
          { role: 'user', content: 'a blue kite' },
          { role: 'assistant', content: '', images: [{ type: 'image_url', image_url: { url: forged.toString() } }] },
          { role: 'user', content: 'add a tail' },
        ],
      }),
    );
    expect(err.status).toBe(400);
    expect(await rig.journal()).toHaveLength(0);
  });

  it('in markdown mode, the image read back from content alone', async () => {
    const first = await ask(MODE_MODELS.markdown, { messages: [{ role: 'user', content: 'a green boat' }] });
    const [url] = markdownUrls(first.choices[0].message.content);
    await rig.clearJournal();
    await ask(MODE_MODELS.markdown, {
      messages: [
        { role: 'user', content: 'a green boat' },
        { role: 'assistant', content: first.choices[0].message.content },
        { role: 'user', content: 'add a sail' },
      ],
    });
    const [call] = await rig.geminiCalls();
    const parts = inlineParts(call!.body);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ role: 'model', data: url!.slice(DATA_PNG.length) });
  });
});

describe('the token’s image output setting', () => {
  it('a token’s image_output wins over the channel’s', async () => {
    const client = new OpenAI({ apiKey: MARKDOWN_TOKEN_KEY, baseURL: `${rig.gw.url}/v1`, maxRetries: 0 });
    const res = (await client.chat.completions.create({ model: MODE_MODELS.images, messages: [{ role: 'user', content: 'a pear' }] })) as any;
    expect(res.choices[0].message.images).toBeUndefined();
    const urls = markdownUrls(res.choices[0].message.content);
    expect(urls).toHaveLength(1);
    expect(pngSize(dataUrlPng(urls[0]!))).toEqual({ width: 1024, height: 1024 });
  });
});

describe('the gateway-wide image output setting', () => {
  let urlRig: Rig;
  beforeAll(async () => {
    urlRig = await startRig({ imageOutput: 'url' });
  });
  afterAll(() => urlRig.close());

  it('imageOutput url applies to channels that set nothing; a channel’s own setting still wins', async () => {
    const res = (await urlRig.client.chat.completions.create({ model: 'gemini-2.5-flash-image', messages: [{ role: 'user', content: 'a kiwi' }] })) as any;
    const link: string = res.choices[0].message.images[0].image_url.url;
    expect(link.startsWith(`${urlRig.gw.url}/v1/files/images/`)).toBe(true);
    expect(pngSize(await fetchPng(link))).toEqual({ width: 1024, height: 1024 });

    const own = (await urlRig.client.chat.completions.create({ model: MODE_MODELS.images, messages: [{ role: 'user', content: 'a kiwi' }] })) as any;
    expect(own.choices[0].message.images[0].image_url.url.startsWith(DATA_PNG)).toBe(true);
  });
});
