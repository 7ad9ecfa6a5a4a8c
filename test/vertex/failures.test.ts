// When the credentials fail: a refused or unreachable token exchange, a key
// that is not a service account, a token revoked upstream. The client gets a
// clean Gemini-shaped error (never the key, never a crash), the model route is
// not called with bad credentials, and a working channel behind takes over.
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT, account, startVertexRig, type VertexRig } from './helpers.js';

const ASK = { contents: [{ role: 'user', parts: [{ text: 'hello' }] }] };

let rig: VertexRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function geminiError(res: Response): Promise<{ code: number; message: string; status: string }> {
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: number; message: string; status: string } };
  expect(body.error.code).toBe(res.status);
  return body.error;
}

describe('a refused token exchange', () => {
  it('an account the token endpoint does not know: 502 UNAVAILABLE, the model route never called; the gateway keeps serving', async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim, { trusted: false })] }]);
    for (let i = 0; i < 2; i++) {
      const res = await rig.post('gemini-2.5-flash', 'generateContent', ASK);
      expect(res.status).toBe(502);
      const err = await geminiError(res);
      expect(err.status).toBe('UNAVAILABLE');
      expect(err.message).toMatch(/Vertex AI credentials failed: .*invalid_grant: Invalid grant: account not found/);
      expect(err.message).not.toMatch(/PRIVATE KEY|iam\.gserviceaccount\.com/);
    }
    // Failures are not cached: each request tried again.
    expect(rig.tokenCalls()).toHaveLength(2);
    expect(rig.vertexCalls()).toHaveLength(0);
    const row = await rig.lastRow();
    expect(row).toMatchObject({ status: 502 });
    expect((await fetch(`${rig.gw.url}/healthz`)).status).toBe(200);
  });

  it('the SDK sees an ApiError, not a hang or a crash', async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim, { trusted: false })] }]);
    await expect(rig.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).rejects.toMatchObject({ status: 502 });
  });

  it('an unreachable token endpoint: 502 saying so', async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim, { tokenUri: 'http://127.0.0.1:1/token' })] }]);
    const res = await rig.post('gemini-2.5-flash', 'generateContent', ASK);
    expect(res.status).toBe(502);
    expect((await geminiError(res)).message).toMatch(/token endpoint could not be reached \(ECONNREFUSED\)/);
    expect(rig.vertexCalls()).toHaveLength(0);
  });

  it('streaming too: the error comes before any byte, in Gemini’s shape', async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim, { trusted: false })] }]);
    const res = await rig.post('gemini-2.5-flash', 'streamGenerateContent', ASK, '?alt=sse');
    expect(res.status).toBe(502);
    expect((await geminiError(res)).status).toBe('UNAVAILABLE');
  });
});

describe('failover', () => {
  it('a channel whose exchange is refused hands over to the next channel', async () => {
    rig = await startVertexRig((sim) => [
      { name: 'broken', accounts: [account(sim, { trusted: false })], priority: 10 },
      { name: 'working', accounts: [account(sim)], priority: 0, settings: { location: 'europe-west4' } },
    ]);
    const res = await rig.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello again' });
    expect(res.text).toBeTruthy();
    expect(rig.tokenCalls()).toHaveLength(2);
    expect(rig.vertexCalls().map((c) => c.path)).toEqual([`/v1/projects/${PROJECT}/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent`]);
    const row = await rig.lastRow();
    expect(row.status).toBe(200);
    const attempts = typeof row.attempts === 'string' ? JSON.parse(row.attempts) : row.attempts;
    expect(attempts[0]).toMatchObject({ status: null, error: expect.stringMatching(/credentials failed/) });
  });
});

describe('a token revoked upstream', () => {
  it('the cached token is refused by the model route: the client gets a clean Gemini error that does not echo it', async () => {
    rig = await startVertexRig((sim) => [{ accounts: [account(sim)] }]);
    expect((await rig.post('gemini-2.5-flash', 'generateContent', ASK)).status).toBe(200);
    const token = rig.sim.serviceAccounts.issued()[0]!.access_token;
    rig.sim.serviceAccounts.revokeAll();
    const res = await rig.post('gemini-2.5-flash', 'generateContent', ASK);
    expect([401, 502]).toContain(res.status);
    const err = await geminiError(res);
    expect(['UNAUTHENTICATED', 'UNAVAILABLE']).toContain(err.status);
    expect(err.message).not.toContain(token.slice(5));
    expect(rig.vertexCalls()).toHaveLength(2);
    // The refused token was dropped: the next request fetches a fresh one and succeeds.
    expect((await rig.post('gemini-2.5-flash', 'generateContent', ASK)).status).toBe(200);
    const live = rig.sim.serviceAccounts.issued();
    expect(live).toHaveLength(1);
    expect(live[0]!.access_token).not.toBe(token);
  });
});
