import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { get, post } from './helpers.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ journal: { size: 3 } });
});
afterAll(() => sim.close());
beforeEach(async () => {
  await fetch(`${sim.url}/__sim/requests`, { method: 'DELETE' });
});

const journal = async () => (await get(`${sim.url}/__sim/requests`)).json;

describe('request journal', () => {
  it('records what the upstream saw, with keys redacted to their last 4 characters', async () => {
    await post(`${sim.url}/v1/chat/completions?trace=1`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { authorization: 'Bearer sk-secret-abcd1234' });
    await post(`${sim.url}/v1beta/models/gemini-2.5-flash:countTokens?key=AIza-secret-wxyz`, { contents: [{ parts: [{ text: 'x' }] }] });
    const { enabled, requests } = await journal();
    expect(enabled).toBe(true);
    expect(requests).toHaveLength(2);
    const [chat, count] = requests;
    expect(chat).toMatchObject({ method: 'POST', path: '/v1/chat/completions', query: { trace: '1' } });
    expect(chat.headers.authorization).toBe('Bearer ***1234');
    expect(JSON.stringify(chat)).not.toContain('sk-secret');
    expect(chat.body).toEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.bodyBytes).toBeGreaterThan(0);
    expect(new Date(chat.at).getTime()).toBeGreaterThan(0);
    expect(count.query.key).toBe('***wxyz');
  });

  it('keeps only the last N entries, omits bodies of 256 KB or more, and clears on DELETE', async () => {
    for (let i = 0; i < 4; i++) await get(`${sim.url}/v1/models?i=${i}`, { authorization: 'Bearer k' });
    let { requests } = await journal();
    expect(requests.map((r: any) => r.query.i)).toEqual(['1', '2', '3']);
    await post(`${sim.url}/v1/embeddings`, { model: 'text-embedding-3-small', input: 'x'.repeat(300_000) }, { authorization: 'Bearer k' });
    ({ requests } = await journal());
    const big = requests[requests.length - 1];
    expect(big.bodyBytes).toBeGreaterThan(256 * 1024);
    expect(big.body).toBeUndefined();
    await fetch(`${sim.url}/__sim/requests`, { method: 'DELETE' });
    expect((await journal()).requests).toEqual([]);
  });

  it('records requests that a fault refused, so a test can prove the upstream was reached (or not)', async () => {
    await post(`${sim.url}/v1/chat/completions`, { model: 'gpt-4o@fault=500', messages: [] }, { authorization: 'Bearer k' });
    const { requests } = await journal();
    expect(requests).toHaveLength(1);
    expect(requests[0].body.model).toBe('gpt-4o@fault=500');
  });

  it('can be turned off', async () => {
    const quiet = await startSimulator({ journal: false });
    try {
      await post(`${quiet.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, { authorization: 'Bearer k' });
      const r = await get(`${quiet.url}/__sim/requests`);
      expect(r.json).toEqual({ enabled: false, requests: [] });
      expect(quiet.journal).toBeUndefined();
    } finally {
      await quiet.close();
    }
  });
});
