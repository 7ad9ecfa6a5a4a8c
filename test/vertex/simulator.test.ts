// The simulator's fake Google OAuth and Vertex routes, called directly: the
// JWT-bearer exchange over a real form POST, its refusals in Google's OAuth
// shape, Bearer checks on the Vertex paths, the admin routes and the journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServiceAccount } from '../../src/providers/vertex-account.js';
import { JWT_BEARER_GRANT, serviceAccountAssertion } from '../../src/providers/vertex-jwt.js';
import { ServiceAccounts } from '../../src/simulator/service-accounts.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.js';
import { createTestServiceAccount, type TestServiceAccount } from '../../src/simulator/test-service-account.js';
import { post, sseData } from '../simulator/helpers.js';

let sim: RunningSimulator;
let known: TestServiceAccount;
const VERTEX = '/v1/projects/p1/locations/us-central1/publishers/google/models';

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  known = createTestServiceAccount({ tokenUri: `${sim.url}/token`, projectId: 'p1' });
  sim.serviceAccounts.register(known.registration);
});
afterAll(async () => {
  await sim?.close();
});

function exchange(form: Record<string, string>, path = '/token'): Promise<Response> {
  return fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

const assertionFor = (account: TestServiceAccount) => serviceAccountAssertion(parseServiceAccount(account.json), Math.floor(Date.now() / 1000));

async function accessToken(account = known): Promise<string> {
  const res = await exchange({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(account) });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('token endpoint', () => {
  it('trades a good assertion for a Bearer token, as Google answers', async () => {
    const res = await exchange({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(known) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.stringMatching(/^ya29\./), expires_in: 3600, token_type: 'Bearer' });
    expect(sim.serviceAccounts.issued().at(-1)).toMatchObject({ access_token: body.access_token, client_email: known.credentials.client_email });
  });

  it('answers on the token_uri a key file names, e.g. /oauth2/token', async () => {
    const other = createTestServiceAccount({ tokenUri: `${sim.url}/oauth2/token` });
    sim.serviceAccounts.register(other.registration);
    const res = await exchange({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(other) }, '/oauth2/token');
    expect(res.status).toBe(200);
  });

  it("refuses in Google's OAuth error shape", async () => {
    const stranger = createTestServiceAccount({ tokenUri: `${sim.url}/token` });
    const cases: Array<[Record<string, string>, number, object]> = [
      [{ grant_type: 'client_credentials' }, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: client_credentials' }],
      [{ grant_type: JWT_BEARER_GRANT }, 400, { error: 'invalid_request', error_description: 'Missing required parameter: assertion' }],
      [{ grant_type: JWT_BEARER_GRANT, assertion: 'a.b.c' }, 400, { error: 'invalid_grant' }],
      [{ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(stranger) }, 400, { error: 'invalid_grant', error_description: 'Invalid grant: account not found' }],
    ];
    for (const [form, status, body] of cases) {
      const res = await exchange(form);
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject(body);
    }
  });

  it('an assertion signed by another key fails the signature check', async () => {
    const impostor = createTestServiceAccount({ tokenUri: `${sim.url}/token`, name: 'impostor' });
    sim.serviceAccounts.register({ ...impostor.registration, public_key: known.registration.public_key });
    const res = await exchange({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(impostor) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  });

  it('POST /__sim/service-accounts registers an account; a bad one is a 400', async () => {
    const late = createTestServiceAccount({ tokenUri: `${sim.url}/token` });
    expect((await exchange({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(late) })).status).toBe(400);
    const reg = await post(`${sim.url}/__sim/service-accounts`, late.registration);
    expect(reg).toMatchObject({ status: 200, json: { registered: late.credentials.client_email } });
    expect((await exchange({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(late) })).status).toBe(200);
    expect((await post(`${sim.url}/__sim/service-accounts`, { client_email: 'x@y', public_key: 'nope' })).status).toBe(400);
    expect((await post(`${sim.url}/__sim/service-accounts`, 'not json')).status).toBe(400);
  });

  it('the journal records the exchange but never the assertion', async () => {
    await sim.journal!.clear();
    await accessToken();
    const [entry] = sim.journal!.list();
    expect(entry).toMatchObject({ method: 'POST', path: '/token' });
    expect(entry!.body).toBeUndefined();
    expect(entry!.bodyBytes).toBeGreaterThan(300);
  });
});

describe('Vertex routes', () => {
  const body = { contents: [{ role: 'user', parts: [{ text: 'hello vertex' }] }] };

  it('generateContent, SSE streaming and countTokens with a token the simulator issued', async () => {
    const auth = { authorization: `Bearer ${await accessToken()}` };
    const whole = await post(`${sim.url}${VERTEX}/gemini-2.5-flash:generateContent`, body, auth);
    expect(whole.status).toBe(200);
    expect(whole.json.candidates[0].content.parts[0].text).toBeTruthy();
    const sse = await post(`${sim.url}${VERTEX}/gemini-2.5-flash:streamGenerateContent?alt=sse`, body, auth);
    expect(sse.status).toBe(200);
    expect(sseData(sse.text).length).toBeGreaterThan(1);
    const count = await post(`${sim.url}${VERTEX}/gemini-2.5-flash:countTokens`, body, auth);
    expect(count.json.totalTokens).toBeGreaterThan(0);
    expect((await post(`${sim.url}/v1beta1/projects/p1/locations/global/publishers/google/models/gemini-2.5-flash:generateContent`, body, auth)).status).toBe(200);
  });

  it('refuses a missing, unknown or API-key credential with 401 UNAUTHENTICATED', async () => {
    const url = `${sim.url}${VERTEX}/gemini-2.5-flash:generateContent`;
    const credentials: Record<string, string>[] = [{}, { authorization: 'Bearer ya29.made-up' }, { 'x-goog-api-key': 'AIzaSy-some-key' }];
    for (const headers of credentials) {
      const res = await post(url, body, headers);
      expect(res.status).toBe(401);
      expect(res.json.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', message: expect.stringMatching(/OAuth 2 access token/) });
    }
  });

  it('DELETE /__sim/tokens revokes every issued token', async () => {
    const auth = { authorization: `Bearer ${await accessToken()}` };
    const url = `${sim.url}${VERTEX}/gemini-2.5-flash:generateContent`;
    expect((await post(url, body, auth)).status).toBe(200);
    const revoked = await fetch(`${sim.url}/__sim/tokens`, { method: 'DELETE' });
    expect(((await revoked.json()) as { revoked: number }).revoked).toBeGreaterThan(0);
    expect((await post(url, body, auth)).status).toBe(401);
  });

  it('an unknown model is a Gemini 404; an unknown Vertex path a Gemini-shaped 404', async () => {
    const auth = { authorization: `Bearer ${await accessToken()}` };
    expect((await post(`${sim.url}${VERTEX}/no-such-model:generateContent`, body, auth)).json.error.status).toBe('NOT_FOUND');
    const stray = await post(`${sim.url}/v1/projects/p1/locations/global/endpoints/e1:predict`, body, auth);
    expect(stray.status).toBe(404);
    expect(stray.json.error.status).toBe('NOT_FOUND');
  });
});

describe('ServiceAccounts', () => {
  it('tokens expire after their lifetime', () => {
    const accounts = new ServiceAccounts([known.registration], 60);
    const token = accounts.issue(known.credentials.client_email, 1_000);
    expect(accounts.check(token.access_token, 60_999)).toMatchObject({ ok: true });
    expect(accounts.check(token.access_token, 61_000)).toEqual({ ok: false, reason: 'expired' });
    expect(accounts.check('ya29.other')).toEqual({ ok: false, reason: 'unknown' });
  });
});
