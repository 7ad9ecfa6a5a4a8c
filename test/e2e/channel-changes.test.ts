// A channel created or disabled through the management API reaches routing
// (the candidate index follows channel change events, and only those).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, TOKEN_KEY, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

let sim: TestSimulator;
let gw: TestGateway;
beforeAll(async () => {
  sim = await startTestSimulator();
  gw = await startTestGateway(`
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

const ask = () =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  }).then((r) => r.status);

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${gw.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => (await r.json()) as any);

async function eventually(status: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < 100 && last !== status; i++) {
    last = await ask();
    if (last !== status) await new Promise((r) => setTimeout(r, 10));
  }
  return last;
}

it('no channel → 404; created through the API → served; disabled → 404 again', async () => {
  expect(await ask()).toBe(404);
  const created = await admin('POST', '/api/channels', { name: 'late', type: 'simulator', base_url: sim.url, keys: ['k'], models: ['gpt-4o-mini'] });
  expect(created.success).toBe(true);
  expect(await eventually(200)).toBe(200);
  expect((await admin('POST', `/api/channels/${created.data.id}/disable`)).success).toBe(true);
  expect(await eventually(404)).toBe(404);
});
