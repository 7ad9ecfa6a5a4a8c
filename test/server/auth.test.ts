import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

const LOCKED_KEY = 'sk-locked-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';
const EXPIRED_KEY = 'sk-expired-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
const NARROW_KEY = 'sk-narrow-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';

let sim: TestSimulator;
let gw: TestGateway;

beforeAll(async () => {
  sim = await startTestSimulator();
  gw = await startTestGateway(
    simulatorConfig(
      sim.url,
      `  - name: locked
    key: ${LOCKED_KEY}
    unlimited: true
    allow_ips: [10.0.0.0/8]
  - name: expired
    key: ${EXPIRED_KEY}
    unlimited: true
    expires_at: 2020-01-01T00:00:00Z
  - name: narrow
    key: ${NARROW_KEY}
    unlimited: true
    models: [gpt-4o-mini]
`,
    ),
  );
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

describe('token from all four places', () => {
  it('Authorization: Bearer (openai SDK)', async () => {
    const client = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1` });
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.choices[0]?.message.content).toBeTruthy();
  });

  it('x-api-key (anthropic SDK)', async () => {
    const client = new Anthropic({ apiKey: TOKEN_KEY, baseURL: gw.url });
    const res = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.content[0]?.type).toBe('text');
  });

  it('x-goog-api-key (@google/genai SDK)', async () => {
    const ai = new GoogleGenAI({ apiKey: TOKEN_KEY, httpOptions: { baseUrl: gw.url } });
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    expect(res.text).toBeTruthy();
  });

  it('?key= (plain HTTP), and the client key never reaches the upstream', async () => {
    await sim.clear();
    const res = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:generateContent?key=${TOKEN_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
    const seen = await sim.requests();
    expect(seen).toHaveLength(1);
    // The journal redacts keys to their last 4 characters: the channel key is
    // "sim-key-1", the client token ends in "IJKL".
    const headers = seen[0]!.headers;
    expect(headers['x-goog-api-key']).toMatch(/ey-1$/);
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(seen[0])).not.toContain('IJKL');
    expect(seen[0]!.query ?? {}).not.toHaveProperty('key');
  });
});

describe('refusals', () => {
  const post = (path: string, headers: Record<string, string>, body: unknown = { model: 'gpt-4o-mini', messages: [] }) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('no key → 401 in each dialect', async () => {
    const openai = await post('/v1/chat/completions', {});
    expect(openai.status).toBe(401);
    expect(((await openai.json()) as any).error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });

    const anthropic = await post('/v1/messages', {}, { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] });
    expect(anthropic.status).toBe(401);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });

    const gemini = await post('/v1beta/models/gemini-2.5-flash:generateContent', {}, { contents: [] });
    expect(gemini.status).toBe(401);
    expect(await gemini.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });

  it('a wrong key → 401 through the SDK as AuthenticationError', async () => {
    const client = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('an IP outside the allow-list → 403', async () => {
    const res = await post('/v1/chat/completions', { authorization: `Bearer ${LOCKED_KEY}` });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('ip_not_allowed');
  });

  it('an expired token → 403', async () => {
    const res = await post('/v1beta/models/gemini-2.5-flash:generateContent', { 'x-goog-api-key': EXPIRED_KEY }, { contents: [] });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { status: 'PERMISSION_DENIED' } });
  });

  it('a model outside the token allow-list → 403, and the models list shows only allowed ones', async () => {
    const res = await post('/v1/messages', { 'x-api-key': NARROW_KEY }, { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'permission_error' } });

    const list = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${NARROW_KEY}` } });
    expect(((await list.json()) as any).data.map((m: any) => m.id)).toEqual(['gpt-4o-mini']);
  });
});
