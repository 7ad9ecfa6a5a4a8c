import { describe, expect, it } from 'vitest';
import { signImagePath, verifyImageRequest } from '../../src/media/signed-url.js';

const SECRET = 'test-secret';
const ID = `${'ab'.repeat(16)}.png`;
const NOW = 1_700_000_000_000;

function queryOf(path: string): URLSearchParams {
  return new URL(path, 'http://gw').searchParams;
}

describe('signed image URLs', () => {
  it('signs a path with the expiry in unix seconds and a hex HMAC', () => {
    const path = signImagePath(ID, NOW + 3600_000, SECRET);
    expect(path).toMatch(new RegExp(`^/v1/files/images/${ID.replace('.', '\\.')}\\?expires=1700003600&signature=[0-9a-f]{64}$`));
  });

  it('verifies its own links until they expire', () => {
    const query = queryOf(signImagePath(ID, NOW + 60_000, SECRET));
    expect(verifyImageRequest(ID, query, SECRET, NOW)).toBe('ok');
    expect(verifyImageRequest(ID, query, SECRET, NOW + 59_999)).toBe('ok');
    expect(verifyImageRequest(ID, query, SECRET, NOW + 60_000)).toBe('expired');
    // node's parsed query objects work too
    expect(verifyImageRequest(ID, Object.fromEntries(query), SECRET, NOW)).toBe('ok');
  });

  it('refuses tampered links', () => {
    const query = queryOf(signImagePath(ID, NOW + 60_000, SECRET));
    const sig = query.get('signature')!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(verifyImageRequest(ID, { expires: query.get('expires')!, signature: flipped }, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(ID, { expires: String(Number(query.get('expires')) + 3600), signature: sig }, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(`${'cd'.repeat(16)}.png`, query, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(ID, query, 'other-secret', NOW)).toBe('bad_signature');
  });

  it('refuses missing, malformed and repeated parameters', () => {
    const query = queryOf(signImagePath(ID, NOW + 60_000, SECRET));
    const expires = query.get('expires')!;
    const signature = query.get('signature')!;
    expect(verifyImageRequest(ID, {}, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(ID, { expires }, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(ID, { expires, signature: signature.slice(0, 10) }, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(ID, { expires, signature: 'zz'.repeat(32) }, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(ID, { expires: '1e12', signature }, SECRET, NOW)).toBe('bad_signature');
    expect(verifyImageRequest(ID, { expires: [expires, expires], signature }, SECRET, NOW)).toBe('bad_signature');
  });
});
