// Upstream failures as a Gemini client sees them: before the first byte the
// next channel is tried, else Gemini's error shape with a mapped status; a
// stream cut mid-way ends with an error the SDK raises.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../simulator/helpers.js';
import { TOKEN_KEY, imageParts, startRig, type GeminiRig } from './helpers.js';

// An upstream that is always overloaded, in Google's words.
let busy: Server;
let busyHits = 0;
let rig: GeminiRig;

beforeAll(async () => {
  busy = createServer((req, res) => {
    busyHits++;
    req.resume();
    const body = JSON.stringify({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
    res.writeHead(503, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(body);
  });
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const busyUrl = `http://127.0.0.1:${(busy.address() as AddressInfo).port}`;
  rig = await startRig(
    (simUrl) => `
channels:
  - name: sim
    type: simulator
    base_url: ${simUrl}
    keys: [sim-key-1]
    models: [gemini-2.5-flash, gemini-2.5-flash-image, gemini-3-pro-image-preview, gemini-3.1-flash-image-preview]
  - name: busy-first
    type: gemini
    base_url: ${busyUrl}
    keys: [busy-key]
    models: [gemini-3.1-flash-image-preview]
    priority: 10
  - name: impatient
    type: simulator
    base_url: ${simUrl}
    keys: [sim-key-2]
    models: [gemini-2.5-pro]
    settings: { timeouts: { first_byte_ms: 200, idle_ms: 150 } }
  - name: dead
    type: gemini
    base_url: http://127.0.0.1:1
    keys: [dead-key]
    models: [dead-model]
tokens:
  - name: test
    key: ${TOKEN_KEY}
    unlimited: true
prices:
  dead-model: { input_per_mtok: 1, output_per_mtok: 2 }
`,
  );
});
afterAll(async () => {
  await rig?.close();
  await new Promise((r) => busy?.close(r));
});

const imageRequest = { contents: [{ parts: [{ text: 'a kite' }] }], generationConfig: { responseModalities: ['IMAGE'] } };

describe('before the first byte', () => {
  it('a 503 from the first channel fails over to the next; both attempts recorded', async () => {
    busyHits = 0;
    const res = await rig.ai.models.generateContent({ model: 'gemini-3.1-flash-image-preview', contents: 'a kite', config: { imageConfig: { aspectRatio: '1:4' } } });
    expect(decodePng(imageParts(res).final[0].inlineData.data)).toEqual({ width: 512, height: 2048 });
    expect(busyHits).toBe(1);
    const row = await rig.lastRow();
    expect(JSON.parse(row.attempts).map((a: any) => a.status)).toEqual([503, 200]);
    expect(row).toMatchObject({ status: 200, image_count: 1 });
  });

  for (const [fault, status, name] of [
    ['429', 429, 'RESOURCE_EXHAUSTED'],
    ['500', 500, 'INTERNAL'],
    ['503', 503, 'UNAVAILABLE'],
  ] as const) {
    it(`upstream ${fault} with no other channel → ${status} ${name} in Gemini's shape`, async () => {
      const res = await rig.post('gemini-2.5-flash-image', 'generateContent', imageRequest, { 'x-sim-fault': fault });
      expect(res.status).toBe(status);
      const body = (await res.json()) as any;
      expect(body.error).toMatchObject({ code: status, status: name, message: expect.any(String) });
      if (status === 429) expect(res.headers.get('retry-after')).toBe('1');
      expect(await rig.lastRow()).toMatchObject({ status, image_count: 0 });
    });
  }

  it('the SDK raises an ApiError carrying the status', async () => {
    const call = rig.ai.models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'x',
      config: { httpOptions: { headers: { 'x-sim-fault': '429' } } },
    });
    await expect(call).rejects.toMatchObject({ name: 'ApiError', status: 429 });
  });

  it('a connection reset → 502 UNAVAILABLE', async () => {
    const res = await rig.post('gemini-3-pro-image-preview', 'generateContent', imageRequest, { 'x-sim-fault': 'reset' });
    expect(res.status).toBe(502);
    expect(((await res.json()) as any).error).toMatchObject({ code: 502, status: 'UNAVAILABLE' });
  });

  it('an upstream that closes without answering → 502 UNAVAILABLE', async () => {
    const res = await rig.post('gemini-2.5-flash', 'generateContent', imageRequest, { 'x-sim-fault': 'stall:20' });
    expect(res.status).toBe(502);
    expect(((await res.json()) as any).error).toMatchObject({ status: 'UNAVAILABLE' });
  });

  it("an upstream that stalls past the channel's first-byte timeout → 504 DEADLINE_EXCEEDED", async () => {
    const res = await rig.post('gemini-2.5-pro', 'generateContent', { contents: [{ parts: [{ text: 'hi' }] }] }, { 'x-sim-fault': 'stall:5000' });
    expect(res.status).toBe(504);
    expect(((await res.json()) as any).error).toMatchObject({ code: 504, status: 'DEADLINE_EXCEEDED' });
    expect((await rig.lastRow())).toMatchObject({ status: 504, cost_micros: 0 });
  });

  it('latency within the timeout is simply waited for', async () => {
    const res = await rig.post('gemini-2.5-pro', 'generateContent', { contents: [{ parts: [{ text: 'hi' }] }] }, { 'x-sim-fault': 'latency:50' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).candidates[0].content.parts[0].text).toBeTruthy();
  });

  it('connection refused → 502 UNAVAILABLE, and the upstream key is not in the message', async () => {
    const res = await rig.post('dead-model', 'generateContent', imageRequest);
    expect(res.status).toBe(502);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ code: 502, status: 'UNAVAILABLE' });
    expect(JSON.stringify(body)).not.toContain('dead-key');
  });
});

describe('after the first byte', () => {
  it('SSE cut mid-stream: an error frame ends it and @google/genai raises', async () => {
    const stream = await rig.ai.models.generateContentStream({
      model: 'gemini-3-pro-image-preview',
      contents: 'a lighthouse',
      config: { responseModalities: ['IMAGE'], httpOptions: { headers: { 'x-sim-fault': 'cut-after:1' } } },
    });
    let chunks = 0;
    const consume = async () => {
      for await (const _ of stream) chunks++;
    };
    await expect(consume()).rejects.toMatchObject({ name: 'ApiError', status: 502 });
    expect(chunks).toBe(1);
    const row = await rig.lastRow();
    expect(row).toMatchObject({ status: 502, is_stream: 1 });
    expect(row.error).toMatch(/stream broke/);
  });

  it('an alt=sse image stream cut inside its image event (too long to hold back): the connection is cut, never a half event glued to an error', async () => {
    // A 2K image from 3.1 Flash (no thought images at its default level) is one ~7 MB event; the cut sends half of it,
    // past the passthrough's 1 MiB hold, so part of it is already out when the cut comes.
    const stream = await rig.ai.models.generateContentStream({
      model: 'gemini-3.1-flash-image-preview',
      contents: 'a lighthouse',
      config: { responseModalities: ['IMAGE'], imageConfig: { imageSize: '2K' }, httpOptions: { headers: { 'x-sim-fault': 'cut-mid-event:0' } } },
    });
    const consume = async () => {
      for await (const _ of stream) {
        /* the cut comes inside the first event */
      }
    };
    const err = await consume().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(SyntaxError);
    const row = await rig.lastRow();
    expect(row).toMatchObject({ status: 502, is_stream: 1 });
    expect(row.error).toMatch(/stream broke/);
  });

  it("a stream that goes quiet past the channel's idle timeout ends with an error frame", async () => {
    const res = await rig.post('gemini-2.5-pro', 'streamGenerateContent', { contents: [{ parts: [{ text: 'a long story' }] }] }, { 'x-sim-fault': 'drip:1000' }, '?alt=sse');
    const text = await res.text();
    const frames = text.split('\r\n\r\n').filter((f) => f.startsWith('data: '));
    expect(JSON.parse(frames.at(-1)!.slice(6))).toMatchObject({ error: { code: 502, status: 'UNAVAILABLE' } });
    expect((await rig.lastRow()).error).toMatch(/stream broke/);
  });

  it('SSE cut over plain HTTP: the last frame is {"error":…} with UNAVAILABLE', async () => {
    const res = await rig.post('gemini-2.5-flash', 'streamGenerateContent', { contents: [{ parts: [{ text: 'a long story' }] }] }, { 'x-sim-fault': 'cut-after:2' }, '?alt=sse');
    const text = await res.text();
    const frames = text.split('\r\n\r\n').filter((f) => f.startsWith('data: '));
    expect(frames).toHaveLength(3);
    expect(JSON.parse(frames[2]!.slice(6))).toMatchObject({ error: { code: 502, status: 'UNAVAILABLE' } });
  });

  it('JSON-array stream cut between elements: the array is closed with an error object', async () => {
    const res = await rig.post('gemini-2.5-flash', 'streamGenerateContent', { contents: [{ parts: [{ text: 'a long story' }] }] }, { 'x-sim-fault': 'cut-after:2' });
    const elements = JSON.parse(await res.text()) as any[];
    expect(elements).toHaveLength(3);
    expect(elements[0].candidates).toBeDefined();
    expect(elements[2]).toMatchObject({ error: { code: 502, status: 'UNAVAILABLE' } });
  });

  it('a whole response cut half-way is cut for the client too (its length says it is short)', async () => {
    const res = await rig.post('gemini-2.5-flash-image', 'generateContent', imageRequest, { 'x-sim-fault': 'cut-after:1' });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(await rig.lastRow()).toMatchObject({ status: 502 });
  });
});
