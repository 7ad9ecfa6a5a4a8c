// GET /v1beta/models: only what the token may use, in Gemini's shape with
// Google's names and limits for the image models, paged; and countTokens.
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_KEY, startRig, type GeminiRig } from './helpers.js';

const LIMITED_KEY = 'sk-limited-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';
let rig: GeminiRig;
beforeAll(async () => {
  rig = await startRig(
    (simUrl) => `
channels:
  - name: sim
    type: simulator
    base_url: ${simUrl}
    keys: [sim-key-1]
    models: [gemini-2.5-flash, gemini-2.5-flash-image, gemini-3-pro-image-preview, gemini-3.1-flash-image-preview, gemini-embedding-001]
tokens:
  - name: test
    key: ${TOKEN_KEY}
    unlimited: true
  - name: limited
    key: ${LIMITED_KEY}
    unlimited: true
    models: [gemini-3-pro-image-preview, gemini-2.5-flash]
`,
  );
});
afterAll(async () => {
  await rig?.close();
});

const list = async (key: string, query = '', header = true) => {
  const res = await fetch(`${rig.gw.url}/v1beta/models${query}`, { headers: header ? { 'x-goog-api-key': key } : {} });
  return { status: res.status, body: (await res.json()) as any };
};

describe('models list', () => {
  it("a token's allow-list bounds the list", async () => {
    const { status, body } = await list(LIMITED_KEY);
    expect(status).toBe(200);
    expect(body.models.map((m: any) => m.name).sort()).toEqual(['models/gemini-2.5-flash', 'models/gemini-3-pro-image-preview']);
    expect(body.nextPageToken).toBeUndefined();
  });

  it("image models carry Google's display name and token limits", async () => {
    const { body } = await list(TOKEN_KEY);
    const byName = Object.fromEntries(body.models.map((m: any) => [m.name, m]));
    expect(byName['models/gemini-2.5-flash-image']).toMatchObject({ displayName: 'Nano Banana', inputTokenLimit: 32_768, outputTokenLimit: 32_768 });
    expect(byName['models/gemini-3-pro-image-preview']).toMatchObject({ displayName: 'Nano Banana Pro', inputTokenLimit: 65_536, outputTokenLimit: 32_768 });
    expect(byName['models/gemini-3.1-flash-image-preview']).toMatchObject({ displayName: 'Nano Banana 2', inputTokenLimit: 131_072 });
    expect(byName['models/gemini-3-pro-image-preview'].supportedGenerationMethods).toContain('generateContent');
    expect(byName['models/gemini-embedding-001'].supportedGenerationMethods).toEqual(['embedContent', 'batchEmbedContents']);
  });

  it('pages with pageSize / pageToken until every model was seen once', async () => {
    const seen: string[] = [];
    let token = '';
    for (let page = 0; page < 10; page++) {
      const { body } = await list(TOKEN_KEY, `?pageSize=2${token ? `&pageToken=${token}` : ''}`);
      expect(body.models.length).toBeLessThanOrEqual(2);
      seen.push(...body.models.map((m: any) => m.name));
      if (!body.nextPageToken) break;
      token = body.nextPageToken;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('?key= works; a bad page token or no key is refused in Gemini shape', async () => {
    expect((await list(LIMITED_KEY, `?key=${LIMITED_KEY}`, false)).body.models).toHaveLength(2);
    const bad = await list(TOKEN_KEY, '?pageToken=%%%');
    expect(bad.status).toBe(400);
    expect(bad.body.error.status).toBe('INVALID_ARGUMENT');
    const none = await list('', '', false);
    expect(none.status).toBe(401);
    expect(none.body.error.status).toBe('UNAUTHENTICATED');
  });

  it('@google/genai lists (following pages) and gets one model; a model outside the allow-list is NOT_FOUND', async () => {
    const ai = new GoogleGenAI({ apiKey: LIMITED_KEY, httpOptions: { baseUrl: rig.gw.url } });
    const names: string[] = [];
    for await (const m of await ai.models.list({ config: { pageSize: 1 } })) names.push(m.name!);
    expect(names.sort()).toEqual(['models/gemini-2.5-flash', 'models/gemini-3-pro-image-preview']);
    const one = await ai.models.get({ model: 'gemini-3-pro-image-preview' });
    expect(one).toMatchObject({ name: 'models/gemini-3-pro-image-preview', displayName: 'Nano Banana Pro' });
    await expect(ai.models.get({ model: 'gemini-2.5-flash-image' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('countTokens', () => {
  it('passes through for text and for an image model; nothing is refused, nothing billed as images', async () => {
    const text = await rig.ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'one two three four five six' });
    expect(text.totalTokens).toBeGreaterThan(0);
    const image = await rig.ai.models.countTokens({ model: 'gemini-3-pro-image-preview', contents: 'a lighthouse at dawn' });
    expect(image.totalTokens).toBeGreaterThan(0);
    expect(await rig.lastRow()).toMatchObject({ route: 'gemini.countTokens', status: 200, image_count: 0 });
  });
});
