// Same-dialect passthrough is byte-faithful: the request body reaches the
// upstream exactly as sent (snake_case, unknown fields, odd whitespace), and
// the answer reaches the client exactly as the upstream wrote it. Proved with
// the simulator's journal, a direct-vs-gateway comparison, and a raw capture
// upstream that records and answers bytes verbatim.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, makePng } from '../simulator/helpers.js';
import { TOKEN_KEY, imageParts, startRig, type GeminiRig } from './helpers.js';

// A raw upstream: remembers the bytes it got and answers fixed bytes.
const CANNED = Buffer.from(
  '{\n  "candidates" : [ {"content":{"parts":[{"text":"héllo \\"there\\""}],"role":"model"},"finishReason":"STOP","futureField":{"a":[1,2]}} ],\r\n' +
    '  "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":2,"totalTokenCount":7},  "modelVersion":"x"}\n',
);
let raw: Server;
let rawUrl: string;
const received: { path: string; headers: Record<string, unknown>; body: Buffer }[] = [];

let rig: GeminiRig;
beforeAll(async () => {
  raw = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': CANNED.length });
      res.end(CANNED);
    });
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  rig = await startRig(
    (simUrl) => `
channels:
  - name: sim
    type: simulator
    base_url: ${simUrl}
    keys: [sim-key-1]
    models: [gemini-2.5-flash, gemini-2.5-flash-image, gemini-3-pro-image-preview, gemini-3.1-flash-image-preview]
    model_mapping: { nano-banana: gemini-2.5-flash-image }
  - name: raw
    type: gemini
    base_url: ${rawUrl}
    keys: [raw-upstream-key]
    models: [raw-model]
tokens:
  - name: test
    key: ${TOKEN_KEY}
    unlimited: true
prices:
  raw-model: { input_per_mtok: 1, output_per_mtok: 2 }
`,
  );
});
afterAll(async () => {
  await rig?.close();
  await new Promise((r) => raw?.close(r));
});

// snake_case, unknown and future fields, odd whitespace, a non-ASCII prompt.
const ODD_BODY =
  '{ "contents" :[ {"role":"user",\n "parts":[ {"text":"un phare à l\'aube \\u00e9"} , {"inline_data": {"mime_type":"image/png","data":"' +
  makePng(40, 30) +
  '"}}]}],\r\n\t"generation_config":{"response_modalities":["TEXT","IMAGE"],"image_config":{"aspect_ratio":"16:9"},"future_knob":{"x":[1,2.50,true,null]}},' +
  '  "safety_settings":[],"someUnknownField":"kept"   }';

describe('request bytes', () => {
  it('a snake_case body with unknown fields and odd whitespace reaches the simulator unchanged', async () => {
    await rig.sim.clear();
    const res = await rig.post('gemini-2.5-flash-image', 'generateContent', ODD_BODY);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(decodePng(imageParts(body).final[0].inlineData.data)).toEqual({ width: 1344, height: 768 });
    const [seen] = await rig.sim.requests();
    expect((seen as any).bodyBytes).toBe(Buffer.byteLength(ODD_BODY));
    expect(seen!.body).toEqual(JSON.parse(ODD_BODY));
    expect(await rig.lastRow()).toMatchObject({ image_count: 1, aspect_ratio: '16:9', image_size: '1K' });
  });

  it('exact bytes, compared at a raw upstream; the client key never leaves the gateway', async () => {
    received.length = 0;
    const res = await fetch(`${rig.gw.url}/v1beta/models/raw-model:generateContent?key=${TOKEN_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: ODD_BODY,
    });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(CANNED)).toBe(true);
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.body.equals(Buffer.from(ODD_BODY))).toBe(true);
    expect(got.path).toBe('/v1beta/models/raw-model:generateContent');
    expect(got.headers['x-goog-api-key']).toBe('raw-upstream-key');
    expect(JSON.stringify(got.headers)).not.toContain(TOKEN_KEY);
  });

  it('a mapped model name changes only the URL: body bytes untouched, validated as its target', async () => {
    await rig.sim.clear();
    const res = await rig.post('nano-banana', 'generateContent', ODD_BODY);
    expect(res.status).toBe(200);
    const [seen] = await rig.sim.requests();
    expect(seen!.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect((seen as any).bodyBytes).toBe(Buffer.byteLength(ODD_BODY));
    // A size the target cannot render is refused before any upstream call.
    await rig.sim.clear();
    const bad = await rig.post('nano-banana', 'generateContent', { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { imageConfig: { imageSize: '4K' } } });
    expect(bad.status).toBe(400);
    expect(await rig.sim.requests()).toHaveLength(0);
  });
});

describe('response bytes', () => {
  const withoutIds = (text: string) => text.replace(/"responseId":\s*"[^"]*"/g, '"responseId":"-"');

  async function direct(model: string, method: string, body: string, query = '') {
    const res = await fetch(`${rig.sim.url}/v1beta/models/${model}:${method}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'sim-key-1' },
      body,
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }
  async function viaGateway(model: string, method: string, body: string, query = '') {
    const res = await rig.post(model, method, body, {}, query);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  const imageBody = JSON.stringify({
    contents: [{ parts: [{ text: 'the same lighthouse every time' }] }],
    generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '3:2', imageSize: '2K' } },
  });

  for (const [label, method, query] of [
    ['generateContent', 'generateContent', ''],
    ['streamGenerateContent (JSON array)', 'streamGenerateContent', ''],
    ['streamGenerateContent?alt=sse', 'streamGenerateContent', '?alt=sse'],
  ] as const) {
    it(`${label}: the gateway's bytes equal the simulator's (ids aside), thought images included`, async () => {
      const a = await direct('gemini-3-pro-image-preview', method, imageBody, query);
      const b = await viaGateway('gemini-3-pro-image-preview', method, imageBody, query);
      expect(b.status).toBe(200);
      expect(b.type).toBe(a.type);
      expect(b.text.length).toBe(a.text.length);
      expect(withoutIds(b.text) === withoutIds(a.text)).toBe(true);
      expect(b.text).toContain('"thought":true');
      expect(b.text).toContain('"thoughtSignature"');
    });
  }

  it('text answers too (deterministic prompt)', async () => {
    const body = JSON.stringify({ contents: [{ parts: [{ text: 'tell me about tides' }] }] });
    const a = await direct('gemini-2.5-flash', 'streamGenerateContent', body, '?alt=sse');
    const b = await viaGateway('gemini-2.5-flash', 'streamGenerateContent', body, '?alt=sse');
    expect(withoutIds(b.text)).toBe(withoutIds(a.text));
  });
});
