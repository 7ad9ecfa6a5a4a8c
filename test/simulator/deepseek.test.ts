import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { post, sseData } from './helpers.js';

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

const messages = [{ role: 'user' as const, content: 'Why is the sky blue?' }];

describe('DeepSeek-style reasoning_content on chat completions', () => {
  it('puts reasoning_content in the message and counts it as reasoning tokens', async () => {
    for (const model of ['deepseek-reasoner', 'deepseek-r1', 'DeepSeek-R1-Distill-Qwen-32B']) {
      const r = await client.chat.completions.create({ model, messages });
      const message = r.choices[0]?.message as unknown as { reasoning_content?: string; content: string };
      expect(message.reasoning_content).toContain('Why is the sky blue?');
      expect(message.content).toContain('Why is the sky blue?');
      expect(r.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    }
    const plain = await client.chat.completions.create({ model: 'deepseek-chat', messages });
    expect(plain.choices[0]?.message).not.toHaveProperty('reasoning_content');
    expect(plain.usage).toMatchObject({ prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: plain.usage?.prompt_tokens });
  });

  it('streams reasoning_content deltas before the content deltas', async () => {
    const whole = await client.chat.completions.create({ model: 'deepseek-reasoner', messages });
    const res = await post(`${sim.url}/v1/chat/completions`, { model: 'deepseek-reasoner', messages, stream: true }, { authorization: 'Bearer k' });
    const deltas = sseData(res.text).slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta).filter(Boolean);
    expect(deltas[0]).toMatchObject({ role: 'assistant', content: null });
    const firstContent = deltas.findIndex((d) => typeof d.content === 'string' && d.content !== '');
    const lastReasoning = deltas.map((d) => typeof d.reasoning_content === 'string' && d.reasoning_content !== '').lastIndexOf(true);
    expect(lastReasoning).toBeGreaterThan(0);
    expect(firstContent).toBeGreaterThan(lastReasoning);
    const reasoning = deltas.map((d) => d.reasoning_content ?? '').join('');
    const content = deltas.map((d) => d.content ?? '').join('');
    const message = whole.choices[0]?.message as unknown as { reasoning_content: string; content: string };
    expect(reasoning).toBe(message.reasoning_content);
    expect(content).toBe(message.content);
  });
});
