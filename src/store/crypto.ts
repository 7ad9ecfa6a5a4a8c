// Secrets at rest and API keys: AES-256-GCM for what must be revealed again
// (upstream keys, token keys for their owner), sha256 for what is only looked
// up (token keys on the hot path), and the shapes of generated/masked keys.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { SecretError } from './errors.js';

const VERSION = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  readonly #key: Buffer;

  constructor(secret: string) {
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new SecretError('WAYSTATION_SECRET is empty: a secret is needed to encrypt keys at rest');
    }
    // HKDF gives a uniformly random 256-bit key from any secret string.
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'waystation', 'secretbox v1', 32));
  }

  /** `v1:` + base64url(iv | tag | ciphertext). */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decrypt(sealed: string): string {
    if (typeof sealed !== 'string' || !sealed.startsWith(VERSION)) {
      throw new SecretError('cannot decrypt: not a v1 sealed value');
    }
    const raw = Buffer.from(sealed.slice(VERSION.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretError('cannot decrypt: sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretError('cannot decrypt: wrong WAYSTATION_SECRET or tampered data');
    }
  }
}

/** sha256 hex of a key: how tokens and access keys are looked up. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Largest multiple of 62 below 256: bytes at or above it are rejected, so
// every character is equally likely.
const UNBIASED_LIMIT = 256 - (256 % ALPHANUMERIC.length);

/** `sk-` + 48 crypto-random alphanumerics. */
export function generateTokenKey(length = 48): string {
  let out = 'sk-';
  while (out.length < 3 + length) {
    for (const byte of randomBytes(64)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      if (out.length === 3 + length) break;
    }
  }
  return out;
}

/** What lists show: `sk-abcd…wxyz`; short keys reveal less. */
export function maskKey(key: string): string {
  if (key.length >= 12) return `${key.slice(0, 7)}…${key.slice(-4)}`;
  if (key.length >= 6) return `${key.slice(0, 2)}…${key.slice(-2)}`;
  return '…';
}
