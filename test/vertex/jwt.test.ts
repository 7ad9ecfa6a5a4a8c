// The service-account side, without a network: parsing key files (clear
// reasons, never the key itself) and the RS256 assertion, checked with the
// public key and with the simulator's verifier.
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GOOGLE_TOKEN_URI, ServiceAccountCache, parseServiceAccount, serviceAccountProblem } from '../../src/providers/vertex-account.js';
import { CLOUD_PLATFORM_SCOPE, serviceAccountAssertion, signJwt } from '../../src/providers/vertex-jwt.js';
import { verifyAssertion } from '../../src/simulator/oauth-token.js';
import { ServiceAccounts } from '../../src/simulator/service-accounts.js';
import { createTestServiceAccount } from '../../src/simulator/test-service-account.js';

const TOKEN_URI = 'http://127.0.0.1:9/token';
const account = createTestServiceAccount({ tokenUri: TOKEN_URI, projectId: 'proj-a' });

function decode(jwt: string): { header: any; claims: any; input: string; signature: Buffer } {
  const [h = '', c = '', s = ''] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(c, 'base64url').toString()),
    input: `${h}.${c}`,
    signature: Buffer.from(s, 'base64url'),
  };
}

describe('parseServiceAccount', () => {
  it('reads a key file as Google writes it', () => {
    const sa = parseServiceAccount(account.json);
    expect(sa).toMatchObject({
      clientEmail: account.credentials.client_email,
      privateKeyId: account.credentials.private_key_id,
      projectId: 'proj-a',
      tokenUri: TOKEN_URI,
    });
    expect(sa.privateKey.asymmetricKeyType).toBe('rsa');
  });

  it("defaults token_uri to Google's", () => {
    const { token_uri: _, ...rest } = account.credentials;
    expect(parseServiceAccount(JSON.stringify(rest)).tokenUri).toBe(GOOGLE_TOKEN_URI);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not JSON', 'AIzaSy-an-api-key-not-a-file', /not JSON/],
    ['a JSON array', '[1,2]', /not a JSON object/],
    ['a user credential', JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: 'y' }), /"authorized_user" credential/],
    ['no client_email', JSON.stringify({ ...account.credentials, client_email: undefined }), /no client_email/],
    ['no private_key', JSON.stringify({ ...account.credentials, private_key: '' }), /has no private_key/],
    ['a broken private_key', JSON.stringify({ ...account.credentials, private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }), /not a PEM private key/],
    ['a non-RSA key', JSON.stringify({ ...account.credentials, private_key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) }), /not an RSA key/],
    ['a token_uri that is not a URL', JSON.stringify({ ...account.credentials, token_uri: 'oauth2/token' }), /token_uri .* not an http\(s\) URL/],
  ];
  for (const [what, key, reason] of bad) {
    it(`refuses ${what} with a reason that does not quote the key`, () => {
      const problem = serviceAccountProblem(key);
      expect(problem).toMatch(reason);
      expect(problem).not.toContain('PRIVATE KEY');
      expect(problem).not.toContain('AIzaSy');
    });
  }

  it('the cache parses a key once and remembers a bad one', () => {
    const cache = new ServiceAccountCache(2);
    expect(cache.get(account.json)).toBe(cache.get(account.json));
    expect(() => cache.get('nope')).toThrow(/not JSON/);
    expect(cache.peek('nope')).toBeUndefined();
  });
});

describe('the JWT assertion', () => {
  const sa = parseServiceAccount(account.json);
  const now = 1_800_000_000;

  it('is RS256 with the claims Google asks for, and verifies with the public key', () => {
    const jwt = serviceAccountAssertion(sa, now);
    const { header, claims, input, signature } = decode(jwt);
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: account.credentials.private_key_id });
    expect(claims).toEqual({ iss: sa.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: TOKEN_URI, iat: now, exp: now + 3600 });
    expect(verify('sha256', Buffer.from(input), createPublicKey(account.registration.public_key), signature)).toBe(true);
  });

  it('does not verify with another key, nor once tampered with', () => {
    const jwt = serviceAccountAssertion(sa, now);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const { input, signature } = decode(jwt);
    expect(verify('sha256', Buffer.from(input), other, signature)).toBe(false);
    const forged = Buffer.from(JSON.stringify({ iss: sa.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: TOKEN_URI, iat: now, exp: now + 7200 })).toString('base64url');
    const [h] = jwt.split('.');
    expect(verify('sha256', Buffer.from(`${h}.${forged}`), createPublicKey(account.registration.public_key), signature)).toBe(false);
  });

  describe("the simulator's verifier", () => {
    const accounts = new ServiceAccounts([account.registration]);
    const nowMs = now * 1000;
    const check = (jwt: string) => verifyAssertion(jwt, accounts, TOKEN_URI, nowMs);
    const refusal = (jwt: string) => (check(jwt) as { body: { error: string; error_description: string } }).body;

    it('accepts a good assertion and names its account', () => {
      expect(check(serviceAccountAssertion(sa, now))).toBe(sa.clientEmail);
    });

    it('refuses each kind of bad assertion with invalid_grant / invalid_scope', () => {
      const claims = { iss: sa.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: TOKEN_URI, iat: now, exp: now + 3600 };
      const signed = (c: object, header: object = { alg: 'RS256', typ: 'JWT' }) => signJwt(header as Record<string, unknown>, c, sa.privateKey);
      expect(refusal('not-a-jwt')).toMatchObject({ error: 'invalid_grant' });
      expect(refusal(signed(claims, { alg: 'HS256' }))).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/only RS256/) });
      expect(refusal(signed({ ...claims, iss: 'stranger@x.iam.gserviceaccount.com' }))).toEqual({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' });
      expect(refusal(signed({ ...claims, aud: 'https://example.com/token' }))).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/audience/) });
      expect(refusal(signed({ ...claims, scope: 'https://www.googleapis.com/auth/drive' }))).toMatchObject({ error: 'invalid_scope' });
      expect(refusal(signed({ ...claims, iat: now - 7200, exp: now - 3600 }))).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/iat and exp/) });
      expect(refusal(signed({ ...claims, exp: now + 7200 }))).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/short-lived/) });
      const other = createTestServiceAccount({ tokenUri: TOKEN_URI });
      const wrongKey = signJwt({ alg: 'RS256' }, claims, parseServiceAccount(other.json).privateKey);
      expect(refusal(wrongKey)).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    });
  });
});
