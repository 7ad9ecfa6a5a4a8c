// The node:http listener in front of fastify: which requests it takes, which
// it hands to fastify, and that both ways answer the same.
import { request as httpRequest } from 'node:http';
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayListener, matchRelayPath } from '../../src/server/relay-listener.js';
import { InFlight } from '../../src/relay/in-flight.js';
import type { RelayDeps } from '../../src/relay/relay-handler.js';
import { TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

describe('matchRelayPath', () => {
  it('takes the static relay paths and Gemini model paths, with or without a query', () => {
    expect(matchRelayPath('/v1/chat/completions')?.spec.name).toBe('openai.chat');
    expect(matchRelayPath('/v1/messages?beta=true')?.spec.name).toBe('anthropic.messages');
    expect(matchRelayPath('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse')).toMatchObject({
      spec: { name: 'gemini.streamGenerateContent' },
      pathModel: 'gemini-2.5-flash',
    });
    expect(matchRelayPath('/v1/models/gemini-2.5-flash:generateContent')?.pathModel).toBe('gemini-2.5-flash');
  });

  it('leaves to fastify what it decodes, trims or refuses itself', () => {
    for (const url of [
      '/v1/chat/completions/', // trailing slash
      '/v1beta/models/gemini%2D2.5-flash:generateContent', // percent-escapes
      '/v1beta/models/gemini-2.5-flash:generateContent/',
      '/v1beta/models/gemini-2.5-flash:fly', // unknown method: fastify's 404
      '/v1beta/models/gemini-2.5-flash', // no method
      '/v1beta/models/:generateContent', // no model
      '/v1/images/edits', // multipart: fastify reads it
      '/v1/nothing',
      'http://host/v1/chat/completions', // absolute form
    ]) {
      expect(matchRelayPath(url), url).toBeUndefined();
    }
  });
});

describe('createRelayListener hands odd requests to fastify', () => {
  const deps = {} as RelayDeps; // never reached: every request below falls back
  const cases: Array<{ why: string; method: string; url: string; headers: Record<string, string>; closing?: boolean }> = [
    { why: 'GET', method: 'GET', url: '/v1/chat/completions', headers: {} },
    { why: 'no content type', method: 'POST', url: '/v1/chat/completions', headers: { 'content-length': '2' } },
    { why: 'another content type', method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'text/plain', 'content-length': '2' } },
    { why: 'chunked body', method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
    { why: 'over the body limit', method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json', 'content-length': '101' } },
    { why: 'server closing', method: 'POST', url: '/v1/chat/completions', headers: { 'content-type': 'application/json', 'content-length': '2' }, closing: true },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const handed: string[] = [];
      const listener = createRelayListener({ deps, bodyLimit: 100, fallback: (req) => handed.push(req.url!), closing: () => c.closing === true });
      const req = { method: c.method, url: c.url, headers: c.headers, socket: {} } as never;
      listener(req, {} as never);
      expect(handed).toEqual([c.url]);
    });
  }
});

describe('createRelayListener takes plain JSON relay requests itself', () => {
  it('reads the body and starts the relay without fastify', async () => {
    const handed: string[] = [];
    const rows: Array<{ status: number; route: string }> = [];
    const deps = {
      cache: { tokenByHash: () => undefined, user: () => undefined, group: () => undefined },
      usage: { push: (row: { status: number; route: string }) => rows.push(row) },
      metrics: { observe: () => {}, upstreamError: () => {} },
      inFlight: new InFlight(),
      log: { error: () => {} },
    } as unknown as RelayDeps;
    const listener = createRelayListener({ deps, bodyLimit: 100, fallback: (req) => handed.push(req.url!), closing: () => false });
    const req = Object.assign(new EventEmitter(), {
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '4', authorization: 'Bearer nope' },
      socket: { remoteAddress: '10.0.0.1' },
    });
    let status = 0;
    let body = '';
    const res = Object.assign(new EventEmitter(), {
      headersSent: false,
      writeHead: (s: number) => (status = s),
      end: (b: string) => (body = b),
    });
    listener(req as never, res as never);
    req.emit('data', Buffer.from('{}'));
    req.emit('data', Buffer.from('{}'));
    req.emit('end');
    await deps.inFlight.idle(1000);
    expect(handed).toEqual([]);
    expect(status).toBe(401); // the relay ran: the key was refused in OpenAI's shape
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'invalid_api_key' } });
    expect(rows).toMatchObject([{ status: 401, route: 'openai.chat' }]);
  });
});

describe('relay requests through the listener and through fastify', () => {
  let sim: TestSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    sim = await startTestSimulator();
    gw = await startTestGateway(simulatorConfig(sim.url));
  });
  afterAll(async () => {
    await gw?.close();
    await sim?.close();
  });

  const chat = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN_KEY}`, 'content-type': 'application/json', ...headers }, body });

  async function lastUsageRow() {
    await gw.gw.usage.flush();
    const { items } = await gw.gw.repos.usageLogs.query({ limit: 1 });
    return items[0]!;
  }

  it('a plain JSON request: answered, with request id, Server-Timing and a usage row', async () => {
    const res = await post('/v1/chat/completions', chat);
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('server-timing')).toMatch(/^gateway;dur=[\d.]+, upstream;dur=[\d.]+$/);
    const json = (await res.json()) as { usage: { prompt_tokens: number } };
    const row = await lastUsageRow();
    expect(row).toMatchObject({ request_id: id, route: 'openai.chat', status: 200, client_ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(json.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('the same request via fastify (trailing slash) answers the same way', async () => {
    const res = await post('/v1/chat/completions/', chat);
    expect(res.status).toBe(200);
    expect(res.headers.get('server-timing')).toMatch(/^gateway;dur=[\d.]+, upstream;dur=[\d.]+$/);
    expect((await lastUsageRow()).request_id).toBe(res.headers.get('x-request-id'));
  });

  it('errors keep their dialect on both paths', async () => {
    const bad = await post('/v1/chat/completions', '{"model":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const gemini = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:nope`, {
      method: 'POST',
      headers: { 'x-goog-api-key': TOKEN_KEY, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(gemini.status).toBe(404);
    expect(await gemini.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    const otherType = await post('/v1/chat/completions', chat, { 'content-type': 'text/plain' });
    expect(otherType.status).toBe(200); // via fastify, whose catch-all parser takes any type
  });

  it('Gemini with the model in the path and the key in the query', async () => {
    const res = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:generateContent?key=${TOKEN_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
    expect(await lastUsageRow()).toMatchObject({ route: 'gemini.generateContent', model_requested: 'gemini-2.5-flash', status: 200 });
  });

  it('a client that leaves mid-body: no relay, no usage row, the gateway keeps serving', async () => {
    await gw.gw.usage.flush();
    const before = (await gw.gw.repos.usageLogs.query({ limit: 1 })).items[0]?.request_id;
    const { port } = new URL(gw.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN_KEY}\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"model":`,
        );
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => {});
    });
    const res = await post('/v1/chat/completions', chat);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await gw.gw.usage.flush();
    const rows = (await gw.gw.repos.usageLogs.query({ limit: 2 })).items;
    expect(rows[0]!.request_id).toBe(res.headers.get('x-request-id'));
    expect(rows[1]?.request_id).toBe(before);
  });

  it('a body split over several packets arrives whole', async () => {
    const { port } = new URL(gw.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', headers: { authorization: `Bearer ${TOKEN_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(chat) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.write(chat.slice(0, 10));
      setTimeout(() => req.end(chat.slice(10)), 30);
    });
    expect(status).toBe(200);
    const [seen] = (await sim.requests()).slice(-1);
    expect(seen!.body).toEqual(JSON.parse(chat));
  });
});
