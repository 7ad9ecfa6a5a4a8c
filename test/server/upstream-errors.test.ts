// Upstream error bodies that must not reach the client verbatim.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TOKEN_KEY, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let upstream: Server;
let gw: TestGateway;

beforeAll(async () => {
  // A real server standing in for a misbehaving upstream (or the proxy in front of it).
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.headers.authorization === 'Bearer sk-channel-secret-1234') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-chan***1234', type: 'invalid_request_error', code: 'invalid_api_key' } }));
      } else {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>');
      }
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gw = await startTestGateway(`
channels:
  - name: html
    type: openai
    base_url: ${url}
    keys: [k-html]
    models: [gpt-4o-mini]
  - name: badkey-openai
    type: openai
    base_url: ${url}
    keys: [sk-channel-secret-1234]
    models: [gpt-4.1]
tokens:
  - name: t
    key: ${TOKEN_KEY}
    unlimited: true
`);
});
afterAll(async () => {
  await gw?.close();
  await new Promise((r) => upstream?.close(r));
});

it('an HTML error page from the upstream is re-said as JSON in the client dialect', async () => {
  const client = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
  expect(err).toBeInstanceOf(OpenAI.APIError);
  expect(err.status).toBe(502);
  expect(err.error).toMatchObject({ message: 'The upstream answered 502: 502 Bad Gateway 502 Bad Gateway nginx.' });
});

it("an upstream 401 (the channel's key) becomes a 502 without the upstream's message", async () => {
  const client = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  const err = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
  expect(err.status).toBe(502);
  expect(JSON.stringify(err.error)).not.toContain('sk-chan');
  expect(err.error).toMatchObject({ code: 'upstream_auth_failed' });
});
