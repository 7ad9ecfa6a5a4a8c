// The two start-up secrets: the key that encrypts upstream keys at rest, and the
// root admin key. The environment wins; otherwise each lives in a file under the
// data dir, created once (mode 0600) and reused on every later start.
import { randomBytes, randomInt } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SettingsError } from './errors.js';
import type { Settings } from './settings.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const SECRET_FILE = 'secret.key';
export const ADMIN_KEY_FILE = 'admin.key';

/** WAYSTATION_SECRET, else `<dataDir>/secret.key` (64 hex chars, generated on first start). */
export function loadOrCreateSecret(settings: Pick<Settings, 'secret' | 'dataDir'>): string {
  if (settings.secret) return settings.secret;
  return readOrCreate(join(settings.dataDir, SECRET_FILE), () => randomBytes(32).toString('hex')).value;
}

/**
 * ADMIN_KEY, else `<dataDir>/admin.key`, else a new `sk-admin-…` key written
 * there. `created` is true only on that first start, so the caller prints it once.
 */
export function loadOrCreateAdminKey(settings: Pick<Settings, 'adminKey' | 'dataDir'>): {
  key: string;
  created: boolean;
} {
  if (settings.adminKey) return { key: settings.adminKey, created: false };
  const { value, created } = readOrCreate(join(settings.dataDir, ADMIN_KEY_FILE), generateAdminKey);
  return { key: value, created };
}

export function generateAdminKey(): string {
  let key = 'sk-admin-';
  for (let i = 0; i < 40; i++) key += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return key;
}

function readOrCreate(file: string, generate: () => string): { value: string; created: boolean } {
  const existing = readIfPresent(file);
  if (existing !== undefined) return { value: existing, created: false };
  const value = generate();
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Write aside, then link into place: the file appears whole or not at all,
    // and when several workers start at once exactly one link wins.
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } finally {
      unlinkSync(tmp);
    }
    return { value, created: true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      const winner = readIfPresent(file);
      if (winner !== undefined) return { value: winner, created: false };
    }
    throw new SettingsError(`cannot create ${file}: ${(err as Error).message}`);
  }
}

function readIfPresent(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SettingsError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const value = text.trim();
  if (!value || /\s/.test(value)) {
    // Never silently replace it: the secret decrypts every stored upstream key.
    throw new SettingsError(`${file} is empty or malformed; restore it, or delete it to generate a new one`);
  }
  return value;
}
