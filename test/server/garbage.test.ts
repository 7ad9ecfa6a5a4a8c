// Throws malformed input at every route and checks each answer is a clean,
// dialect-shaped 4xx (never a 500, an HTML page or a stack trace), and that
// the gateway still serves afterwards.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

let sim: TestSimulator;
let gw: TestGateway;
beforeAll(async () => {
  sim = await startTestSimulator();
  gw = await startTestGateway(simulatorConfig(sim.url), { bodyLimitBytes: 256 * 1024 });
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

const POST_ROUTES = [
  '/v1/chat/completions',
  '/v1/responses',
  '/v1/completions',
  '/v1/embeddings',
  '/v1/images/generations',
  '/v1/images/edits',
  '/v1/audio/speech',
  '/v1/audio/transcriptions',
  '/v1/moderations',
  '/v1/rerank',
  '/v1/messages',
  '/v1/messages/count_tokens',
  '/v1beta/models/gemini-2.5-flash:generateContent',
  '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
  '/v1beta/models/gemini-2.5-flash:countTokens',
  '/v1beta/models/gemini-2.5-flash:embedContent',
  '/v1/models/gemini-2.5-flash:generateContent',
];

const BODIES: Array<[string, string | Buffer, string]> = [
  ['broken json', '{"model": "gpt-4o-mini", "messages": [', 'application/json'],
  ['empty', '', 'application/json'],
  ['null', 'null', 'application/json'],
  ['number', '42', 'application/json'],
  ['string', '"hello"', 'application/json'],
  ['model as number', '{"model": 123, "messages": "x"}', 'application/json'],
  ['model as object', '{"model": {"a": 1}}', 'application/json'],
  ['unknown model', '{"model": "\\u0000\\ud800", "contents": 5}', 'application/json'],
  ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x7b]), 'application/octet-stream'],
  ['form garbage', 'a=1&b=2', 'application/x-www-form-urlencoded'],
  ['bad multipart', '--xx\r\nContent-Disposition: form-data; name="model"\r\n\r\n', 'multipart/form-data; boundary=xx'],
  ['multipart without boundary', 'whatever', 'multipart/form-data'],
  ['too large', 'x'.repeat(300 * 1024), 'application/json'],
];

function expectCleanError(status: number, contentType: string | undefined, text: string, what: string) {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
  expect(contentType ?? '', what).toContain('application/json');
  expect(text, what).not.toMatch(/\n\s+at \S+ \(/); // no stack trace
  expect(text, what).not.toMatch(/<html/i);
  const body = JSON.parse(text);
  expect(body, what).toHaveProperty('error');
}

describe('garbage in, clean errors out', () => {
  for (const route of POST_ROUTES) {
    it(`POST ${route}`, async () => {
      for (const [name, body, type] of BODIES) {
        const res = await request(`${gw.url}${route}`, {
          method: 'POST',
          headers: { 'content-type': type, authorization: `Bearer ${TOKEN_KEY}` },
          body,
        });
        const text = await res.body.text();
        expectCleanError(res.statusCode, res.headers['content-type'] as string, text, `${route} with ${name}: ${text.slice(0, 200)}`);
      }
    });
  }

  it('odd methods and paths', async () => {
    const cases: Array<[string, string]> = [
      ['PUT', '/v1/chat/completions'],
      ['DELETE', '/v1/messages'],
      ['PATCH', '/v1beta/models/gemini-2.5-flash:generateContent'],
      ['GET', '/v1/chat/completions'],
      ['POST', '/v1beta/models/%ZZ:generateContent'],
      ['POST', '/v1beta/models/:generateContent'],
      ['POST', '/v1beta/models/x:'],
      ['GET', '/v1beta/models/nope-model'],
      ['GET', '/../../etc/passwd'],
      ['GET', `/v1/models/${'a'.repeat(4000)}`],
      ['POST', '/v2/everything'],
      ['GET', '/api/nothing'],
    ];
    for (const [method, path] of cases) {
      const res = await request(`${gw.url}${path}`, {
        method: method as 'GET',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN_KEY },
        body: method === 'GET' ? undefined : '{}',
      });
      const text = await res.body.text();
      const what = `${method} ${path.slice(0, 60)} → ${res.statusCode} ${text.slice(0, 200)}`;
      expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, what).toBeLessThan(500);
      expect(text, what).not.toMatch(/\n\s+at \S+ \(/);
      expect(JSON.parse(text), what).toBeTypeOf('object');
    }
  });

  it('management API: garbage bodies get an enveloped 4xx naming the problem', async () => {
    const routes: Array<[string, string]> = [
      ['POST', '/api/token/'],
      ['PUT', '/api/token/'],
      ['POST', '/api/users'],
      ['PUT', '/api/users/1'],
      ['POST', '/api/groups'],
      ['PUT', '/api/prices/gpt-4o-mini'],
      ['POST', '/api/channels'],
      ['PUT', '/api/channels/1'],
      ['POST', '/api/users/1/topup'],
    ];
    const bodies = ['{', '[]', 'null', '{"name": 5, "remain_quota": "lots", "type": {}}', '{"amount_usd": -1}'];
    for (const [method, path] of routes) {
      for (const body of bodies) {
        const res = await request(`${gw.url}${path}`, {
          method: method as 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
          body,
        });
        const text = await res.body.text();
        const what = `${method} ${path} with ${body} → ${res.statusCode} ${text.slice(0, 200)}`;
        expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, what).toBeLessThan(500);
        expect(text, what).not.toMatch(/\n\s+at \S+ \(/);
        const parsed = JSON.parse(text);
        expect(parsed, what).toMatchObject({ success: false, message: expect.any(String) });
      }
    }
    const list = await request(`${gw.url}/api/logs?from=yesterday&page_size=-3`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    expect(list.statusCode).toBe(400);
    expect(JSON.parse(await list.body.text())).toMatchObject({ success: false });
  });

  it('still serves real requests afterwards', async () => {
    const health = await request(`${gw.url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still there?' }] }),
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });
});
