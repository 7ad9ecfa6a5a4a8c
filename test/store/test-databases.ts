// Creates a throwaway database per test run on each backend: a temp SQLite
// file always, PostgreSQL / MySQL when their env variable names a server.
// Names are unique per process, so parallel runs never collide.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

export interface TestDatabase {
  /** DATABASE_URL of the fresh, empty database. */
  url: string;
  drop(): Promise<void>;
}

export const PG_DEFAULT = 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_DEFAULT = 'mysql://root@127.0.0.1:3306/';
export const REDIS_DEFAULT = 'redis://127.0.0.1:6379';

/** The server URL an env variable asks for: unset → undefined, "1" → the default. */
export function serverFromEnv(name: string, fallback: string): string | undefined {
  const value = process.env[name]?.trim();
  if (!value || value === '0') return undefined;
  return value === '1' ? fallback : value;
}

function uniqueName(): string {
  return `ws_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-store-'));
  return {
    url: `sqlite:${join(dir, 'nested', 'test.db')}`,
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function createPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = uniqueName();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function createMysqlDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = uniqueName();
  const normal = serverUrl.replace(/^mariadb:/i, 'mysql:');
  const admin = await mysql.createConnection(normal);
  try {
    await admin.query(`create database \`${name}\``);
  } finally {
    await admin.end();
  }
  const url = new URL(normal);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const conn = await mysql.createConnection(normal);
      try {
        await conn.query(`drop database if exists \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
