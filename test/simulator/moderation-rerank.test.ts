import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { post } from './helpers.js';

let sim: RunningSimulator;
let client: OpenAI;
const auth = { authorization: 'Bearer sk-test' };

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

describe('moderations', () => {
  it('answers one unflagged result per input string with scores per category', async () => {
    const r = await client.moderations.create({ model: 'omni-moderation-latest', input: ['hello', 'world'] });
    expect(r.id).toMatch(/^modr-/);
    expect(r.model).toBe('omni-moderation-latest');
    expect(r.results).toHaveLength(2);
    const first = r.results[0];
    expect(first?.flagged).toBe(false);
    expect(first?.categories.illicit).toBe(false);
    expect(Object.keys(first?.category_scores ?? {})).toEqual(Object.keys(first?.categories ?? {}));
    for (const score of Object.values(first?.category_scores ?? {})) expect(score).toBeGreaterThanOrEqual(0);
    expect(first?.category_applied_input_types.violence).toEqual(['text']);
    const again = await client.moderations.create({ model: 'omni-moderation-latest', input: 'hello' });
    expect(again.results[0]?.category_scores).toEqual(first?.category_scores);
  });

  it('treats a multimodal array as one input and marks image categories', async () => {
    const r = await client.moderations.create({
      model: 'omni-moderation-latest',
      input: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
    });
    expect(r.results).toHaveLength(1);
    expect(r.results[0]?.category_applied_input_types.violence).toEqual(['text', 'image']);
    expect(r.results[0]?.category_applied_input_types.hate).toEqual(['text']);
  });

  it('leaves out the omni-only fields for text-moderation models and refuses a missing input', async () => {
    const r = await post(`${sim.url}/v1/moderations`, { model: 'text-moderation-latest', input: 'x' }, auth);
    expect(r.json.results[0].categories).not.toHaveProperty('illicit');
    expect(r.json.results[0]).not.toHaveProperty('category_applied_input_types');
    const missing = await post(`${sim.url}/v1/moderations`, { model: 'omni-moderation-latest' }, auth);
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ param: 'input', code: 'missing_required_parameter' });
  });
});

describe('rerank', () => {
  const url = () => `${sim.url}/v1/rerank`;

  it('ranks documents by relevance, cut at top_n, with documents and usage', async () => {
    const documents = ['green pear', 'red apple pie', 'apple', { text: 'a red apple' }];
    const r = await post(url(), { model: 'jina-reranker-v2-base-multilingual', query: 'red apple', documents, top_n: 3 }, auth);
    expect(r.status).toBe(200);
    expect(r.json.model).toBe('jina-reranker-v2-base-multilingual');
    expect(r.json.results).toHaveLength(3);
    const scores = r.json.results.map((x: any) => x.relevance_score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) expect(s > 0 && s < 1).toBe(true);
    expect(r.json.results.map((x: any) => x.index).slice(0, 2).sort()).toEqual([1, 3]);
    expect(r.json.results[0].document.text).toBe(['green pear', 'red apple pie', 'apple', 'a red apple'][r.json.results[0].index]);
    expect(r.json.results.map((x: any) => x.index)).not.toContain(0);
    expect(r.json.usage.total_tokens).toBeGreaterThan(0);
    const again = await post(url(), { model: 'jina-reranker-v2-base-multilingual', query: 'red apple', documents, top_n: 3 }, auth);
    expect(again.json.results).toEqual(r.json.results);
  });

  it('leaves documents out when return_documents is false and refuses bad input', async () => {
    const r = await post(url(), { model: 'rerank-v3.5', query: 'q', documents: ['a', 'b'], return_documents: false }, auth);
    expect(r.json.results).toHaveLength(2);
    expect(r.json.results[0]).not.toHaveProperty('document');
    const noDocs = await post(url(), { model: 'rerank-v3.5', query: 'q' }, auth);
    expect(noDocs.status).toBe(400);
    expect(noDocs.json.error.param).toBe('documents');
    const badDoc = await post(url(), { model: 'rerank-v3.5', query: 'q', documents: [42] }, auth);
    expect(badDoc.json.error).toMatchObject({ param: 'documents[0]', code: 'invalid_type' });
    const noKey = await post(url(), { model: 'rerank-v3.5', query: 'q', documents: ['a'] });
    expect(noKey.status).toBe(401);
  });
});
