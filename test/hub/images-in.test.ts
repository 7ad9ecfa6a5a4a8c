// Images in: a small real PNG sent by each client in its own shape (data URL
// for OpenAI, base64 source for Anthropic, inlineData for Gemini) reaches
// every provider in that provider's shape with the same bytes, and the
// provider's image tokens show in the usage the client sees and the row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, CLIENT_APIS, gemini, messages, responses, type ClientApi, type Outcome } from './clients.js';
import { DONE, expectUsageRow, upstreamCall } from './checks.js';
import { CHANNELS, PNG_BASE64, PNG_DATA_URL, PROVIDERS, startHub, type Hub, type Provider } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

/** What each simulated provider charges for one input image. */
const IMAGE_TOKENS: Record<Provider, number> = { openai: 765, anthropic: 1568, gemini: 258 };

function askWithImage(client: ClientApi, model: string, prompt: string, stream: boolean): Promise<Outcome> {
  switch (client) {
    case 'chat':
      return chat(hub, { model, messages: [{ role: 'user', content: [{ type: 'text', text: prompt }, { type: 'image_url', image_url: { url: PNG_DATA_URL } }] }] }, stream);
    case 'responses':
      return responses(hub, { model, input: [{ role: 'user', content: [{ type: 'input_text', text: prompt }, { type: 'input_image', image_url: PNG_DATA_URL, detail: 'auto' }] }] }, stream);
    case 'messages':
      return messages(
        hub,
        {
          model,
          max_tokens: 500,
          messages: [{ role: 'user', content: [{ type: 'text', text: prompt }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } }] }],
        },
        stream,
      );
    case 'gemini':
      return gemini(hub, { model, contents: [{ role: 'user', parts: [{ text: prompt }, { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } }] }] }, stream);
  }
}

/** The image as the upstream received it, in its own dialect. */
function upstreamImage(provider: Provider, body: any): { mime: string; data: string } {
  if (provider === 'anthropic') {
    const block = body.messages[0].content.find((b: any) => b.type === 'image');
    return { mime: block.source.media_type, data: block.source.data };
  }
  if (provider === 'gemini') {
    const part = body.contents[0].parts.find((p: any) => p.inlineData ?? p.inline_data);
    const inline = part.inlineData ?? part.inline_data;
    return { mime: inline.mimeType ?? inline.mime_type, data: inline.data };
  }
  if (Array.isArray(body.messages)) {
    const url: string = body.messages[0].content.find((p: any) => p.type === 'image_url').image_url.url;
    return { mime: url.slice(5, url.indexOf(';')), data: url.slice(url.indexOf(',') + 1) };
  }
  const url: string = body.input[0].content.find((p: any) => p.type === 'input_image').image_url;
  return { mime: url.slice(5, url.indexOf(';')), data: url.slice(url.indexOf(',') + 1) };
}

describe.each(CLIENT_APIS)('%s client sends a PNG', (client) => {
  describe.each(PROVIDERS)('→ %s channel', (provider) => {
    it.each([false, true])('stream=%s: same bytes upstream, image tokens counted', async (stream) => {
      const model = CHANNELS[provider].model;
      const prompt = `What is in this picture? ${client}`;
      await hub.sim.clear();
      const out = await askWithImage(client, model, prompt, stream);
      expect(out.text).toContain(`Simulated reply to "${prompt}"`);
      expect(out.finish).toBe(DONE[client]);

      const call = await upstreamCall(hub, provider, model, stream);
      expect(upstreamImage(provider, call.body)).toEqual({ mime: 'image/png', data: PNG_BASE64 });
      expect(out.usage.input).toBeGreaterThan(IMAGE_TOKENS[provider]);
      await expectUsageRow(hub, out, { model, provider, stream, client });
    });
  });
});

// Gemini takes images inline only, so the gateway fetches http(s) image URLs for it, behind the
// SSRF guard; Claude and OpenAI fetch URLs themselves, so theirs pass on as URLs.
describe('an image by URL', () => {
  const urlOf = (h: Hub) => `${h.sim.url}/__sim/images/40x30.png`;

  it('chat client → anthropic channel: the URL passes on for Claude to fetch', async () => {
    await hub.sim.clear();
    const out = await chat(hub, { model: CHANNELS.anthropic.model, messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe it' }, { type: 'image_url', image_url: { url: urlOf(hub) } }] }] }, false);
    expect(out.text).toContain('Simulated reply to "Describe it"');
    const { body } = await upstreamCall(hub, 'anthropic', CHANNELS.anthropic.model, false);
    expect(body.messages[0].content.find((b: any) => b.type === 'image').source).toEqual({ type: 'url', url: urlOf(hub) });
  });

  it('chat client → gemini channel: a private address is refused before anything goes upstream', async () => {
    await hub.sim.clear();
    const err = await chat(hub, { model: CHANNELS.gemini.model, messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe it' }, { type: 'image_url', image_url: { url: urlOf(hub) } }] }] }, false).catch((e) => e);
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
    expect(err.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
    expect((await hub.upstream()).filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('chat and messages clients → gemini channel, private fetches allowed: the image goes inline', async () => {
    const open = await startHub({ imageFetchAllowPrivate: true });
    try {
      for (const client of ['chat', 'messages'] as const) {
        await open.sim.clear();
        const url = urlOf(open);
        const model = CHANNELS.gemini.model;
        const out =
          client === 'chat'
            ? await chat(open, { model, messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe it' }, { type: 'image_url', image_url: { url } }] }] }, true)
            : await messages(open, { model, max_tokens: 300, messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe it' }, { type: 'image', source: { type: 'url', url } }] }] }, true);
        expect(out.text).toContain('Simulated reply to "Describe it"');
        const [call] = (await open.upstream()).filter((r) => r.method === 'POST' && r.path.startsWith('/v1beta/'));
        const inline = call!.body.contents[0].parts.find((p: any) => p.inlineData).inlineData;
        expect(inline.mimeType).toBe('image/png');
        const png = Buffer.from(inline.data, 'base64');
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([40, 30]);
      }
    } finally {
      await open.close();
    }
  });
});
