// The `fail-nth:K:STATUS` fault: only the K-th request carrying the same fault
// string fails, so one of several parallel calls can be made to fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { post } from './helpers.js';

let sim: RunningSimulator;
const oa = { authorization: 'Bearer sk-test' };
const gk = { 'x-goog-api-key': 'AIza-test' };
const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] };

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe('fail-nth fault', () => {
  it('fails only the K-th request with that fault string, in the provider’s shape', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(`${sim.url}/v1/chat/completions`, chat, { ...oa, 'x-sim-fault': 'fail-nth:2:503' });
      statuses.push(res.status);
      if (res.status === 503) expect(res.json.error).toBeTruthy();
      else expect(res.json.choices[0].message.content).toBeTruthy();
    }
    expect(statuses).toEqual([200, 503, 200, 200]);
  });

  it('keeps one counter per fault string: a label starts a fresh count; a model suffix counts too', async () => {
    const a = await post(`${sim.url}/v1/chat/completions`, chat, { ...oa, 'x-sim-fault': 'fail-nth:1:500:first' });
    const b = await post(`${sim.url}/v1/chat/completions`, chat, { ...oa, 'x-sim-fault': 'fail-nth:1:500:second' });
    const c = await post(`${sim.url}/v1/chat/completions`, chat, { ...oa, 'x-sim-fault': 'fail-nth:1:500:first' });
    expect([a.status, b.status, c.status]).toEqual([500, 500, 200]);

    const url = `${sim.url}/v1beta/models/gemini-2.5-flash@fault=fail-nth:1:429:gem:generateContent`;
    const body = { contents: [{ parts: [{ text: 'hi' }] }] };
    const g1 = await post(url, body, gk);
    expect(g1.status).toBe(429);
    expect(g1.json.error.status).toBe('RESOURCE_EXHAUSTED');
    const g2 = await post(url, body, gk);
    expect(g2.status).toBe(200);
    expect(g2.json.candidates[0].content.parts[0].text).toBeTruthy();
  });

  it('DELETE /__sim/faults resets the counters', async () => {
    const spec = { ...oa, 'x-sim-fault': 'fail-nth:1:502:reset-me' };
    expect((await post(`${sim.url}/v1/chat/completions`, chat, spec)).status).toBe(502);
    expect((await post(`${sim.url}/v1/chat/completions`, chat, spec)).status).toBe(200);
    const cleared = await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);
    expect((await post(`${sim.url}/v1/chat/completions`, chat, spec)).status).toBe(502);
  });

  it('parses K, STATUS and a label; refuses anything else with a 400 naming the fault', async () => {
    const plan: Parameters<typeof parseFaults>[1] = {};
    expect(parseFaults('fail-nth:3:500:x,latency:1', plan)).toBeUndefined();
    expect(plan.failNth).toEqual([{ key: 'fail-nth:3:500:x', nth: 3, status: 500 }]);
    expect(plan.latencyMs).toBe(1);
    for (const bad of ['fail-nth', 'fail-nth:0:500', 'fail-nth:2', 'fail-nth:2:200', 'fail-nth:x:500', 'fail-nth:1:500:a:b']) {
      expect(parseFaults(bad, {}), bad).toMatch(/bad fault/);
    }
    const res = await post(`${sim.url}/v1/chat/completions`, chat, { ...oa, 'x-sim-fault': 'fail-nth:2:200' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/fail-nth/);
  });
});
