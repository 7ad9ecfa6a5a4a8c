import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

let sim: TestSimulator;
let gw: TestGateway;

beforeAll(async () => {
  sim = await startTestSimulator();
  gw = await startTestGateway(simulatorConfig(sim.url), { bodyLimitBytes: 64 * 1024 });
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

const send = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${gw.url}${path}`, { method: 'POST', ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN_KEY}`, ...init.headers } });

function expectOpenAIShape(body: any) {
  expect(body.error).toEqual(expect.objectContaining({ message: expect.any(String), type: expect.any(String) }));
  expect(body.error).toHaveProperty('param');
  expect(body.error).toHaveProperty('code');
}
function expectGeminiShape(body: any, status: number, name: string) {
  expect(body.error).toEqual(expect.objectContaining({ code: status, message: expect.any(String), status: name }));
}
function expectAnthropicShape(body: any, type: string) {
  expect(body).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
}

describe('errors come back in the dialect of the route', () => {
  it('malformed JSON → 400 in each shape, never reaching the upstream', async () => {
    await sim.clear();
    const o = await send('/v1/chat/completions', { body: '{"model":' });
    expect(o.status).toBe(400);
    expectOpenAIShape(await o.json());
    const a = await send('/v1/messages', { body: '[1,2' });
    expect(a.status).toBe(400);
    expectAnthropicShape(await a.json(), 'invalid_request_error');
    const g = await send('/v1beta/models/gemini-2.5-flash:generateContent', { body: 'not json' });
    expect(g.status).toBe(400);
    expectGeminiShape(await g.json(), 400, 'INVALID_ARGUMENT');
    expect(await sim.requests()).toHaveLength(0);
  });

  it('a JSON body that is not an object, or has no model → 400 naming the problem', async () => {
    const arr = await send('/v1/chat/completions', { body: '[]' });
    expect(arr.status).toBe(400);
    expect(((await arr.json()) as any).error.message).toMatch(/JSON object/);
    const noModel = await send('/v1/chat/completions', { body: '{"messages":[]}' });
    expect(noModel.status).toBe(400);
    expect(((await noModel.json()) as any).error).toMatchObject({ param: 'model' });
  });

  it('a model no channel serves → 404 model_not_found in each shape', async () => {
    const o = await send('/v1/chat/completions', { body: JSON.stringify({ model: 'nope-1', messages: [] }) });
    expect(o.status).toBe(404);
    expect(((await o.json()) as any).error.code).toBe('model_not_found');
    const g = await send('/v1beta/models/nope-2:generateContent', { body: '{"contents":[]}' });
    expect(g.status).toBe(404);
    expectGeminiShape(await g.json(), 404, 'NOT_FOUND');
    const a = await send('/v1/messages', { body: JSON.stringify({ model: 'nope-3', max_tokens: 1, messages: [] }) });
    expect(a.status).toBe(404);
    expectAnthropicShape(await a.json(), 'not_found_error');
  });

  it('unknown routes and methods → 404 in the shape their path implies', async () => {
    const g = await fetch(`${gw.url}/v1beta/nothing/here`);
    expect(g.status).toBe(404);
    expectGeminiShape(await g.json(), 404, 'NOT_FOUND');
    const gm = await send('/v1beta/models/gemini-2.5-flash:fly', { body: '{}' });
    expect(gm.status).toBe(404);
    expectGeminiShape(await gm.json(), 404, 'NOT_FOUND');
    const a = await fetch(`${gw.url}/v1/messages`, { method: 'DELETE' });
    expect(a.status).toBe(404);
    expectAnthropicShape(await a.json(), 'not_found_error');
    const o = await fetch(`${gw.url}/v1/chat/completions`, { method: 'PATCH' });
    expect(o.status).toBe(404);
    expectOpenAIShape(await o.json());
  });

  it('a body over the limit → 413 in each shape', async () => {
    const big = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] });
    const o = await send('/v1/chat/completions', { body: big });
    expect(o.status).toBe(413);
    expectOpenAIShape(await o.json());
    const g = await send('/v1beta/models/gemini-2.5-flash:generateContent', { body: big });
    expect(g.status).toBe(413);
    expectGeminiShape(await g.json(), 413, 'INVALID_ARGUMENT');
    const a = await send('/v1/messages', { body: big });
    expect(a.status).toBe(413);
    expectAnthropicShape(await a.json(), 'request_too_large');
  });
});

describe('every response carries x-request-id and Server-Timing', () => {
  it('on success, on error and on health routes, with distinct ids', async () => {
    const responses = [
      await send('/v1/chat/completions', { body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) }),
      await send('/v1/chat/completions', { body: '{' }),
      await fetch(`${gw.url}/healthz`),
      await fetch(`${gw.url}/nowhere`),
    ];
    const ids = new Set<string>();
    for (const res of responses) {
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(id!);
      expect(res.headers.get('server-timing')).toMatch(/gateway;dur=\d+(\.\d+)?/);
      await res.arrayBuffer();
    }
    expect(ids.size).toBe(responses.length);
    expect(responses[0]!.status).toBe(200);
    // Relay responses split the gateway's own time from the upstream's.
    expect(responses[0]!.headers.get('server-timing')).toMatch(/upstream;dur=\d/);
  });
});

describe('health, readiness and metrics', () => {
  it('/healthz and /readyz answer ok', async () => {
    expect(await (await fetch(`${gw.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('/metrics counts relay requests by route, model, channel and status', async () => {
    await send('/v1/chat/completions', { body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/waystation_requests_total\{route="openai\.chat",model="gpt-4o-mini",channel="\d+",status="200"\} \d+/);
    expect(text).toContain('waystation_request_duration_seconds_bucket');
    expect(text).toContain('waystation_gateway_overhead_seconds_bucket');
  });

  it('the admin console placeholder is served at /', async () => {
    const res = await fetch(`${gw.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Waystation');
  });
});
