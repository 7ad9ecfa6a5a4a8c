// Failover before the first byte, and model mapping, across real channels.
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TOKEN_KEY, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

let sim: TestSimulator;
let gw: TestGateway;

beforeAll(async () => {
  sim = await startTestSimulator();
  gw = await startTestGateway(`
channels:
  - name: dead
    type: openai
    base_url: http://127.0.0.1:1
    keys: [k-dead]
    models: [gpt-4o-mini]
    priority: 10
  - name: alive
    type: simulator
    base_url: ${sim.url}
    keys: [k-alive]
    models: [gpt-4o-mini]
    model_mapping: { house-model: gpt-4o-mini }
    priority: 0
tokens:
  - name: t
    key: ${TOKEN_KEY}
    unlimited: true
`);
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

it('a connection failure on the higher tier fails over to the next, and both attempts are recorded', async () => {
  const client = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  expect(res.choices[0]!.message.content).toBeTruthy();
  await gw.gw.usage.flush();
  const row = (await gw.gw.repos.usageLogs.query({ limit: 1 })).items[0]!;
  const attempts = JSON.parse(row.attempts!);
  expect(attempts).toHaveLength(2);
  expect(attempts[0].status).toBeNull();
  expect(attempts[1].status).toBe(200);
  const channels = await gw.gw.repos.channels.list();
  expect(row.channel_id).toBe(channels.find((c) => c.name === 'alive')!.id);
});

it('a mapped model name is rewritten upstream and recorded as served', async () => {
  await sim.clear();
  const client = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  await client.chat.completions.create({ model: 'house-model', messages: [{ role: 'user', content: 'hi' }] });
  const [seen] = await sim.requests();
  expect((seen!.body as any).model).toBe('gpt-4o-mini');
  await gw.gw.usage.flush();
  const row = (await gw.gw.repos.usageLogs.query({ limit: 1 })).items[0]!;
  expect(row).toMatchObject({ model_requested: 'house-model', model_served: 'gpt-4o-mini' });
});
