// Small helpers every repository shares: the one backend-specific insert
// (RETURNING vs insertId), driver-error mapping, JSON columns, LIKE search
// and paging that also works on MySQL.
import { sql } from 'kysely';
import type { Expression, Kysely, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import type { ChangeBus } from '../change-bus.js';
import type { SecretBox } from '../crypto.js';
import type { Database, DatabaseKind } from '../db.js';
import { toStoreError } from '../errors.js';
import type { Schema } from '../schema.js';

export interface RepoContext {
  database: Database;
  box: SecretBox;
  bus: ChangeBus;
  /** Clock for created_at / updated_at (epoch ms). */
  now: () => number;
}

type Db = Kysely<Schema>;

/**
 * Inserts one row and returns its new id. PostgreSQL answers RETURNING;
 * MySQL has no RETURNING and SQLite reports insertId just as well.
 */
export async function insertReturningId<T extends keyof Schema & string>(
  db: Db,
  kind: DatabaseKind,
  table: T,
  values: Record<string, unknown>,
): Promise<number> {
  // The dynamic table name defeats Kysely's per-table typing; callers pass typed rows.
  const insert = (db as Kysely<any>).insertInto(table).values(values);
  if (kind === 'postgres') {
    const row = (await insert.returning('id').executeTakeFirstOrThrow()) as { id: number };
    return Number(row.id);
  }
  const result = await insert.executeTakeFirstOrThrow();
  if (result.insertId === undefined) throw new Error(`insert into ${table} reported no id`);
  return Number(result.insertId);
}

/** Runs `fn`, turning driver errors into ConflictError / NotFoundError / DatabaseError. */
export async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toStoreError(err, what);
  }
}

/** Parses a JSON column; a damaged value reads as the fallback instead of crashing the reader. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * Case-insensitive "contains" on any backend. '!' is the escape character
 * because a backslash means different things in PostgreSQL and MySQL literals.
 */
export function containsIgnoreCase(column: Expression<unknown>, keyword: string): RawBuilder<SqlBool> {
  const pattern = '%' + keyword.toLowerCase().replace(/[!%_]/g, (c) => '!' + c) + '%';
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '!'`;
}

/** Applies offset/limit; MySQL rejects OFFSET without LIMIT, so a bare offset gets a huge limit. */
export function page<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  offset: number | undefined,
  limit: number | undefined,
): SelectQueryBuilder<DB, TB, O> {
  const off = Math.max(0, Math.floor(offset ?? 0));
  const lim = limit === undefined ? undefined : Math.max(0, Math.floor(limit));
  if (lim !== undefined) qb = qb.limit(lim);
  else if (off > 0) qb = qb.limit(Number.MAX_SAFE_INTEGER);
  if (off > 0) qb = qb.offset(off);
  return qb;
}

/** Drops keys whose value is undefined, so a patch only touches what it names. */
export function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Count column helper: count(*) comes back as number on every backend we configure. */
export function countAll() {
  return sql<number>`count(*)`.as('n');
}
