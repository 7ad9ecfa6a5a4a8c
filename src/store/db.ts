// Opens the database named by DATABASE_URL (SQLite, PostgreSQL or MySQL /
// MariaDB) as one Kysely instance, and proves it is reachable before anyone
// relies on it: a failure is one DatabaseError line with the password masked.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import type { Dialect, MysqlPool } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import { parseDatabaseUrl, redactUrl } from './database-url.js';
import type { DatabaseKind, ParsedDatabaseUrl } from './database-url.js';
import { DatabaseError, describeError } from './errors.js';
import type { Schema } from './schema.js';
import { ServerSqliteDialect } from './sqlite-dialect.js';

export type { DatabaseKind } from './database-url.js';

export interface Database {
  db: Kysely<Schema>;
  kind: DatabaseKind;
  /** The URL it was opened with, password masked: safe to log. */
  url: string;
  /** Runs `select 1`; throws DatabaseError when the server is gone. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Connections per pool for PostgreSQL / MySQL (default 10). */
  poolSize?: number;
  /** SQLite busy timeout in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Give up connecting after this long (default 5000 ms). */
  connectTimeoutMs?: number;
  /**
   * An idle pooled connection failed (server restart, network). The pool
   * replaces it; without a listener Node would crash on the 'error' event.
   * Default: one line on stderr.
   */
  onIdleError?: (err: Error) => void;
}

export async function openDatabase(url: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  let parsed: ParsedDatabaseUrl;
  try {
    parsed = parseDatabaseUrl(url);
  } catch (err) {
    throw new DatabaseError(describeError(err));
  }
  const shown = redactUrl(url.trim());
  let dialect: Dialect;
  try {
    dialect = createDialect(parsed, opts);
  } catch (err) {
    throw new DatabaseError(`cannot open database ${shown} (${describeError(err)})`, { cause: err });
  }
  const db = new Kysely<Schema>({ dialect });
  const ping = async (): Promise<void> => {
    try {
      await sql`select 1`.execute(db);
    } catch (err) {
      throw new DatabaseError(`database unreachable: ${shown} (${describeError(err)})`, { cause: err });
    }
  };
  try {
    await ping();
  } catch (err) {
    await db.destroy().catch(() => {});
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    db,
    kind: parsed.kind,
    url: shown,
    ping,
    close: () => (closed ??= db.destroy()),
  };
}

function createDialect(parsed: ParsedDatabaseUrl, opts: OpenDatabaseOptions): Dialect {
  const poolSize = opts.poolSize ?? 10;
  const connectTimeout = opts.connectTimeoutMs ?? 5000;
  const onIdleError =
    opts.onIdleError ?? ((err: Error) => console.error(`[waystation] database connection dropped: ${describeError(err)}`));
  switch (parsed.kind) {
    case 'sqlite':
      return new ServerSqliteDialect({ database: openSqlite(parsed.file, opts.busyTimeoutMs ?? 5000) });
    case 'postgres': {
      const pool = new pg.Pool({
        connectionString: parsed.url,
        max: poolSize,
        connectionTimeoutMillis: connectTimeout,
        types: numericTypes,
      });
      pool.on('error', onIdleError);
      return new PostgresDialect({ pool });
    }
    case 'mysql': {
      const pool = createMysqlPool({
        uri: parsed.url,
        connectionLimit: poolSize,
        connectTimeout,
        supportBigNumbers: true,
        bigNumberStrings: false,
        decimalNumbers: true,
        charset: 'utf8mb4_bin',
      });
      pool.on('error', onIdleError);
      // mysql2's callback pool is what Kysely's MysqlDialect drives.
      return new MysqlDialect({ pool: pool as unknown as MysqlPool });
    }
  }
}

function openSqlite(file: string, busyTimeoutMs: number): BetterSqlite3.Database {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file, { timeout: busyTimeoutMs });
  try {
    if (!memory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    sqlite.pragma('foreign_keys = ON');
  } catch (err) {
    sqlite.close();
    throw err;
  }
  return sqlite;
}

/** BIGINT (int8) and NUMERIC come back as JS numbers, like on SQLite and MySQL. */
const numericTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;
