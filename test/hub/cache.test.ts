// Prompt caching as each provider reports it (OpenAI cached_tokens,
// Anthropic cache reads, Gemini cachedContentTokenCount) reaches every client
// in its own field and the usage row as cached input. The simulator caches a
// repeated prefix of at least 1024 tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, CLIENT_APIS, gemini, messages, responses, type ClientApi, type Outcome } from './clients.js';
import { CHANNELS, startHub, type Hub, type Provider } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

/** About 1,500 tokens of history, then a short question: the history is the cacheable prefix. */
function conversation(client: ClientApi, model: string, tag: string, stream: boolean): Promise<Outcome> {
  const long = `${tag}: ${'The harbour log records every ship that enters and leaves, with its cargo and crew. '.repeat(72)}`;
  const reply = 'Noted, I have read the log.';
  const question = 'Which ship left last?';
  switch (client) {
    case 'chat':
      return chat(hub, { model, messages: [{ role: 'user', content: long }, { role: 'assistant', content: reply }, { role: 'user', content: question }] }, stream);
    case 'responses':
      return responses(hub, { model, input: [{ role: 'user', content: long }, { role: 'assistant', content: reply }, { role: 'user', content: question }] }, stream);
    case 'messages':
      return messages(
        hub,
        {
          model,
          max_tokens: 300,
          messages: [
            // Claude caches only up to a breakpoint the client marks.
            { role: 'user', content: [{ type: 'text', text: long, cache_control: { type: 'ephemeral' } }] },
            { role: 'assistant', content: reply },
            { role: 'user', content: question },
          ],
        },
        stream,
      );
    case 'gemini':
      return gemini(
        hub,
        {
          model,
          contents: [
            { role: 'user', parts: [{ text: long }] },
            { role: 'model', parts: [{ text: reply }] },
            { role: 'user', parts: [{ text: question }] },
          ],
        },
        stream,
      );
  }
}

const cells: Array<[ClientApi, Provider]> = [
  ...CLIENT_APIS.flatMap((c) => (['openai', 'gemini'] as Provider[]).map((p): [ClientApi, Provider] => [c, p])),
  ['messages', 'anthropic'],
];

describe('a repeated long prompt is served partly from cache', () => {
  it.each(cells)('%s client → %s channel: cached tokens in the client field and the row', async (client, provider) => {
    for (const stream of [false, true]) {
      const tag = `${client}-${provider}-${stream}`;
      const model = CHANNELS[provider].model;
      const first = await conversation(client, model, tag, stream);
      expect(first.usage.cached).toBe(0);
      const second = await conversation(client, model, tag, stream);
      expect(second.usage.cached).toBeGreaterThan(1000);
      expect(second.usage.cached).toBeLessThan(second.usage.input);
      const row = await hub.lastRow();
      expect(row.cached_input_tokens).toBe(second.usage.cached);
      expect(row.input_tokens + row.cached_input_tokens + ((row as any).cache_write_tokens ?? 0)).toBe(second.usage.input);
    }
  });
});
