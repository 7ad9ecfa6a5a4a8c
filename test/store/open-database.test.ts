import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactUrl } from '../../src/store/database-url.js';
import { openDatabase } from '../../src/store/db.js';
import { DatabaseError, RedisError } from '../../src/store/errors.js';
import { connectRedis } from '../../src/store/redis.js';
import { refusingPort } from '../helpers/refusing-port.js';

/** A port nothing listens on. */
const closedPort = refusingPort;

describe('database URLs', () => {
  it('parses every accepted form', () => {
    expect(parseDatabaseUrl('sqlite:./data/waystation.db')).toEqual({ kind: 'sqlite', file: './data/waystation.db' });
    expect(parseDatabaseUrl('sqlite:/abs/path.db')).toEqual({ kind: 'sqlite', file: '/abs/path.db' });
    expect(parseDatabaseUrl('sqlite:///abs/path.db')).toEqual({ kind: 'sqlite', file: '/abs/path.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('postgres://u@h/db').kind).toBe('postgres');
    expect(parseDatabaseUrl('postgresql://u@h/db').kind).toBe('postgres');
    expect(parseDatabaseUrl('mysql://u@h/db')).toEqual({ kind: 'mysql', url: 'mysql://u@h/db' });
    expect(parseDatabaseUrl('mariadb://u@h/db')).toEqual({ kind: 'mysql', url: 'mysql://u@h/db' });
  });

  it('masks passwords', () => {
    expect(redactUrl('postgres://user:s3cret@host:5432/db')).toBe('postgres://user:***@host:5432/db');
    expect(redactUrl('mysql://root@host/db?password=abc&x=1')).toBe('mysql://root@host/db?password=***&x=1');
    expect(redactUrl('redis://:pw@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
  });

  it('rejects an unknown scheme with one line naming the accepted ones', async () => {
    const err = await openDatabase('mongodb://localhost/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as Error).message).toMatch(/^unsupported database scheme "mongodb:"; accepted: sqlite:.*postgres:\/\/.*mysql:\/\/.*mariadb:\/\//);
    expect((err as Error).message).not.toContain('\n');
    await expect(openDatabase('')).rejects.toThrow(/empty database URL/);
    await expect(openDatabase('sqlite:')).rejects.toThrow(/names no file/);
  });
});

describe('openDatabase', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('opens SQLite in WAL mode with foreign keys on, creating the parent folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-open-'));
    dirs.push(dir);
    const file = join(dir, 'a', 'b', 'w.db');
    const database = await openDatabase(`sqlite:${file}`);
    try {
      expect(existsSync(file)).toBe(true);
      expect(database.kind).toBe('sqlite');
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
      expect(sync.rows[0]?.synchronous).toBe(1); // NORMAL
      await database.ping();
    } finally {
      await database.close();
    }
  });

  it('opens an in-memory SQLite database', async () => {
    const database = await openDatabase('sqlite::memory:');
    await database.ping();
    await database.close();
    await database.close(); // closing twice is harmless
  });

  it('fails with one line when PostgreSQL is unreachable, password masked', async () => {
    const port = await closedPort();
    const err = await openDatabase(`postgres://postgres:hunter2@127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as Error).message).toBe(
      `database unreachable: postgres://postgres:***@127.0.0.1:${port}/x (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
  });

  it('fails with one line when MySQL is unreachable', async () => {
    const port = await closedPort();
    const err = await openDatabase(`mysql://root@127.0.0.1:${port}/x`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as Error).message).toBe(`database unreachable: mysql://root@127.0.0.1:${port}/x (connect ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('fails with one line when the SQLite file cannot be created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-open-'));
    dirs.push(dir);
    // A path whose "folder" is a regular file can be neither created nor opened.
    await writeFile(join(dir, 'file'), 'x');
    const bad = await openDatabase(`sqlite:${join(dir, 'file', 'x.db')}`).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DatabaseError);
    expect((bad as Error).message).toMatch(/^cannot open database sqlite:.*\(.*\)$/);
    expect((bad as Error).message).not.toContain('\n');
  });
});

describe('connectRedis', () => {
  it('fails fast with one line when Redis is unreachable', async () => {
    const port = await closedPort();
    const err = await connectRedis(`redis://:pw@127.0.0.1:${port}`, 'test').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisError);
    expect((err as Error).message).toBe(`redis unreachable: redis://:***@127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`);
  });

  it('rejects a URL that is not redis://', async () => {
    await expect(connectRedis('http://127.0.0.1:6379', 'test')).rejects.toThrow(/unsupported Redis URL/);
  });
});
