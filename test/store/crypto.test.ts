import { describe, expect, it } from 'vitest';
import { SecretBox, generateTokenKey, hashKey, maskKey } from '../../src/store/crypto.js';
import { SecretError } from '../../src/store/errors.js';

describe('SecretBox', () => {
  const box = new SecretBox('correct horse battery staple');

  it('round-trips text, including unicode and the empty string', () => {
    for (const plain of ['sk-abc', '', 'ключ 🔑', 'x'.repeat(10_000)]) {
      const sealed = box.encrypt(plain);
      expect(sealed.startsWith('v1:')).toBe(true);
      expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]+$/);
      expect(box.decrypt(sealed)).toBe(plain);
    }
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('fails clearly with a wrong secret or tampered data', () => {
    const sealed = box.encrypt('upstream-key');
    expect(() => new SecretBox('another secret').decrypt(sealed)).toThrow(SecretError);
    expect(() => new SecretBox('another secret').decrypt(sealed)).toThrow(/wrong WAYSTATION_SECRET or tampered/);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => box.decrypt('v1:' + raw.toString('base64url'))).toThrow(SecretError);
    expect(() => box.decrypt('v1:abc')).toThrow(/truncated/);
    expect(() => box.decrypt('plaintext')).toThrow(/not a v1 sealed value/);
  });

  it('refuses an empty secret', () => {
    expect(() => new SecretBox('')).toThrow(SecretError);
  });
});

describe('keys', () => {
  it('hashes with sha256 hex', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('generates sk- + 48 alphanumerics, all different, every character class used', () => {
    const keys = Array.from({ length: 500 }, () => generateTokenKey());
    for (const k of keys) expect(k).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    expect(new Set(keys).size).toBe(keys.length);
    const chars = new Set(keys.map((k) => k.slice(3)).join(''));
    expect(chars.size).toBe(62);
  });

  it('masks for display', () => {
    expect(maskKey('sk-abcdefghijklmnopwxyz')).toBe('sk-abcd…wxyz');
    expect(maskKey('short-key')).toBe('sh…ey');
    expect(maskKey('abc')).toBe('…');
  });
});
