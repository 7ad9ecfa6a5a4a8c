import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SettingsError } from '../../src/config/errors.js';
import { loadOrCreateAdminKey, loadOrCreateSecret } from '../../src/config/secrets.js';

const freshDataDir = () => join(mkdtempSync(join(tmpdir(), 'ws-secrets-')), 'data');
const mode = (file: string) => statSync(file).mode & 0o777;

describe('loadOrCreateSecret', () => {
  test('generates 32 random bytes as hex once, in a 0600 file, then reuses them', () => {
    const dataDir = freshDataDir();
    const first = loadOrCreateSecret({ secret: null, dataDir });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dataDir, 'secret.key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(mode(file)).toBe(0o600);
    expect(loadOrCreateSecret({ secret: null, dataDir })).toBe(first);
    expect(loadOrCreateSecret({ secret: null, dataDir: freshDataDir() })).not.toBe(first);
  });

  test('WAYSTATION_SECRET wins and writes nothing', () => {
    const dataDir = freshDataDir();
    expect(loadOrCreateSecret({ secret: 'from-env', dataDir })).toBe('from-env');
    expect(() => statSync(join(dataDir, 'secret.key'))).toThrow(/ENOENT/);
  });

  test('an emptied secret file is an error, never silently replaced', () => {
    const dataDir = freshDataDir();
    loadOrCreateSecret({ secret: null, dataDir });
    writeFileSync(join(dataDir, 'secret.key'), '\n');
    expect(() => loadOrCreateSecret({ secret: null, dataDir })).toThrow(SettingsError);
    expect(() => loadOrCreateSecret({ secret: null, dataDir })).toThrow(/secret\.key is empty or malformed/);
  });

  test('an unusable data dir gives a clear error', () => {
    const parent = mkdtempSync(join(tmpdir(), 'ws-secrets-'));
    const notADir = join(parent, 'file');
    writeFileSync(notADir, 'x');
    expect(() => loadOrCreateSecret({ secret: null, dataDir: notADir })).toThrow(/^cannot (read|create) .*secret\.key/);
  });
});

describe('loadOrCreateAdminKey', () => {
  test('generated once (created: true), then read back (created: false)', () => {
    const dataDir = freshDataDir();
    const first = loadOrCreateAdminKey({ adminKey: null, dataDir });
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^sk-admin-[A-Za-z0-9]{40}$/);
    const file = join(dataDir, 'admin.key');
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${first.key}\n`);
    expect(loadOrCreateAdminKey({ adminKey: null, dataDir })).toEqual({ key: first.key, created: false });
  });

  test('ADMIN_KEY wins', () => {
    const dataDir = freshDataDir();
    loadOrCreateAdminKey({ adminKey: null, dataDir });
    expect(loadOrCreateAdminKey({ adminKey: 'sk-admin-env', dataDir })).toEqual({ key: 'sk-admin-env', created: false });
  });

  test('a key file written by hand is used as is', () => {
    const dataDir = freshDataDir();
    loadOrCreateSecret({ secret: null, dataDir }); // creates the directory
    writeFileSync(join(dataDir, 'admin.key'), '  sk-admin-handwritten  \n');
    expect(loadOrCreateAdminKey({ adminKey: null, dataDir })).toEqual({ key: 'sk-admin-handwritten', created: false });
  });
});
