// OpenAI chat streams report usage only when the client sets
// stream_options.include_usage. The gateway always bills from usage: it asks
// the upstream for it and keeps the extra chunk from a client that did not
// ask — on the same-dialect passthrough (body spliced, or re-serialised when
// the model is renamed or stream_options is present) and on converted streams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, startHub, type Hub } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

/** The whole answer's usage for a prompt: the simulator is deterministic, so the stream must bill the same. */
async function wholeUsage(model: string, prompt: string) {
  const res = await hub.openai.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] });
  return res.usage!;
}

const cases: Array<[string, string, Record<string, unknown>, string]> = [
  ['openai channel, passthrough (option spliced into the body)', CHANNELS.openai.model, {}, 'oai'],
  ['openai channel, passthrough with include_usage: false', CHANNELS.openai.model, { stream_options: { include_usage: false } }, 'oai'],
  ['simulator channel, model renamed upstream', 'sim-gpt-4o-mini', {}, 'sim'],
  ['anthropic channel, converted', CHANNELS.anthropic.model, {}, 'ant'],
  ['gemini channel, converted', CHANNELS.gemini.model, {}, 'gem'],
];

describe('chat stream without include_usage', () => {
  it.each(cases)('%s: no usage chunk reaches the client; the row has the tokens', async (_name, model, extra, kind) => {
    const prompt = `Usage hiding ${kind} ${Object.keys(extra).length}`;
    await hub.sim.clear();
    const stream = await hub.openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: prompt }], ...extra });
    const chunks: any[] = [];
    let text = '';
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    expect(text).toContain(`Simulated reply to "${prompt}"`);
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(chunks.some((c) => c.usage)).toBe(false);

    const row = await hub.lastRow();
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.output_text_tokens).toBeGreaterThan(0);

    const [upstream] = (await hub.upstream()).filter((r) => r.method === 'POST');
    if (kind === 'oai' || kind === 'sim') {
      expect(upstream!.body.stream_options).toEqual({ include_usage: true });
      expect(upstream!.body.model).toBe('gpt-4o-mini');
    }

    const whole = await wholeUsage(model, prompt);
    expect(row.input_tokens + row.cached_input_tokens).toBe(whole.prompt_tokens);
    expect(row.output_text_tokens + row.reasoning_tokens).toBe(whole.completion_tokens);
  });
});
