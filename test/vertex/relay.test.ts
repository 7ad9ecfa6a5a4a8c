// @google/genai → gateway (Gemini dialect) → a vertex channel → the simulator
// as Vertex AI: text, SSE streaming, an image at an aspect ratio, countTokens;
// what the upstream saw (the Vertex path, a Bearer it issued, never the
// client's key or the key file); one token exchange for many requests; two
// service accounts in rotation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageModelSpec, pixelSize } from '../../src/dialects/gemini/image-models.js';
import { decodePng } from '../simulator/helpers.js';
import { TEST_ADMIN_KEY } from '../helpers/gateway.js';
import { PROJECT, TOKEN_KEY, account, bearerTail, startVertexRig, type VertexRig } from './helpers.js';

const VERTEX_PATH = `/v1/projects/${PROJECT}/locations/us-central1/publishers/google/models`;

describe('one service account, a regional channel', () => {
  let rig: VertexRig;
  beforeAll(async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim)], settings: { location: 'us-central1' } }]);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('text: the answer, and the upstream saw the Vertex path with a Bearer the token endpoint issued', async () => {
    const res = await rig.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'name three rivers' });
    expect(res.text).toBeTruthy();
    const [call] = rig.vertexCalls().slice(-1);
    expect(call).toMatchObject({ method: 'POST', path: `${VERTEX_PATH}/gemini-2.5-flash:generateContent` });
    const issued = rig.sim.serviceAccounts.issued();
    expect(issued).toHaveLength(1);
    expect(bearerTail(call!)).toBe(issued[0]!.access_token.slice(-4));
    expect(bearerTail(call!)).not.toBe(TOKEN_KEY.slice(-4));
    expect(call!.headers['x-goog-api-key']).toBeUndefined();
    expect(JSON.stringify(call)).not.toMatch(/PRIVATE KEY|service_account|private_key/);
    expect(call!.body).toMatchObject({ contents: [{ parts: [{ text: 'name three rivers' }] }] });
    const row = await rig.lastRow();
    expect(row).toMatchObject({ route: 'gemini.generateContent', status: 200, model_served: 'gemini-2.5-flash' });
  });

  it('the admin channel test authorises with a token and passes', async () => {
    const channels = await rig.gw.gw.repos.channels.list();
    const res = await fetch(`${rig.gw.url}/api/channels/${channels[0]!.id}/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    const body = (await res.json()) as any;
    expect(body.data).toMatchObject({ ok: true, status: 200 });
  });

  it('SSE streaming: chunks assemble into text; the upstream was asked for alt=sse', async () => {
    let text = '';
    let chunks = 0;
    for await (const chunk of await rig.ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'a long answer please' })) {
      text += chunk.text ?? '';
      chunks++;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
    const [call] = rig.vertexCalls().slice(-1);
    expect(call).toMatchObject({ path: `${VERTEX_PATH}/gemini-2.5-flash:streamGenerateContent`, query: { alt: 'sse' } });
    expect(await rig.lastRow()).toMatchObject({ route: 'gemini.streamGenerateContent', is_stream: 1, status: 200 });
  });

  it('an image at 16:9: a real PNG of the official size; the row records it', async () => {
    const res = await rig.ai.models.generateContent({
      model: 'gemini-2.5-flash-image',
      contents: 'a lighthouse at dawn',
      config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    const parts = res.candidates?.[0]?.content?.parts ?? [];
    const image = parts.find((p) => p.inlineData?.mimeType === 'image/png' && !p.thought);
    expect(decodePng(image!.inlineData!.data!)).toEqual(pixelSize(imageModelSpec('gemini-2.5-flash-image')!, '16:9', undefined));
    expect(rig.vertexCalls().at(-1)!.body).toMatchObject({ generationConfig: { imageConfig: { aspectRatio: '16:9' } } });
    expect(await rig.lastRow()).toMatchObject({ status: 200, image_count: 1, aspect_ratio: '16:9' });
  });

  it('countTokens', async () => {
    const res = await rig.ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'one two three four five six' });
    expect(res.totalTokens).toBeGreaterThan(0);
    expect(rig.vertexCalls().at(-1)!.path).toBe(`${VERTEX_PATH}/gemini-2.5-flash:countTokens`);
  });

  it('the token is cached: one exchange served every request so far, and ten concurrent ones', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => rig.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `parallel ${i}` })));
    expect(rig.vertexCalls().length).toBeGreaterThanOrEqual(14);
    expect(rig.tokenCalls()).toHaveLength(1);
    expect(new Set(rig.vertexCalls().map(bearerTail)).size).toBe(1);
  });
});

describe('a global channel whose first request is a burst', () => {
  let rig: VertexRig;
  beforeAll(async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim)], settings: { project: 'other-project' } }]);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('concurrent first requests share one exchange; settings.project and the global location are in the path', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => rig.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `burst ${i}` })));
    expect(answers.every((a) => a.text)).toBe(true);
    expect(rig.tokenCalls()).toHaveLength(1);
    expect(rig.vertexCalls()[0]!.path).toBe('/v1/projects/other-project/locations/global/publishers/google/models/gemini-2.5-flash:generateContent');
  });
});

describe('two service accounts on one channel', () => {
  let rig: VertexRig;
  beforeAll(async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim, { name: 'first' }), account(sim, { name: 'second' })] }]);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('rotate: each account gets its own token, once, and requests alternate between them', async () => {
    for (let i = 0; i < 6; i++) await rig.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: `turn ${i}` });
    const issued = rig.sim.serviceAccounts.issued();
    expect(issued.map((t) => t.client_email.split('@')[0]).sort()).toEqual(['first', 'second']);
    expect(rig.tokenCalls()).toHaveLength(2);
    const tails = rig.vertexCalls().map(bearerTail);
    expect(new Set(tails)).toEqual(new Set(issued.map((t) => t.access_token.slice(-4))));
    for (let i = 1; i < tails.length; i++) expect(tails[i]).not.toBe(tails[i - 1]);
  });
});
