// Errors the store hands to the layers above, so they never see a raw driver
// error: the admin API maps ConflictError → 409, NotFoundError → 404, and
// DatabaseError → 500 / a one-line start-up failure.

/** A unique constraint would be broken (same name, same key…). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** The row asked for (or a row it refers to) does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The database failed or could not be reached; the message is one line. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
}

/** Redis could not be reached or failed; the message is one line. */
export class RedisError extends Error {
  override readonly name = 'RedisError';
}

/** A stored secret could not be decrypted: wrong WAYSTATION_SECRET or tampered data. */
export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/** One line describing any thrown value, including Node's AggregateError (dual-stack connects). */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    const parts = err.errors.map((e: unknown) => describeError(e));
    return [...new Set(parts)].join('; ');
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const msg = err.message || (typeof code === 'string' ? code : err.name);
    return oneLine(msg);
  }
  return oneLine(String(err));
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

type DriverError = { code?: unknown; errno?: unknown; message?: unknown };

/** True when a driver error is a unique / primary-key violation (any backend). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as DriverError | null;
  if (!e || typeof e !== 'object') return false;
  return (
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.code === '23505' || // PostgreSQL unique_violation
    e.code === 'ER_DUP_ENTRY' ||
    e.errno === 1062
  );
}

/** True when a driver error is a foreign-key violation (any backend). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as DriverError | null;
  if (!e || typeof e !== 'object') return false;
  return (
    e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    e.code === '23503' || // PostgreSQL foreign_key_violation
    e.code === 'ER_NO_REFERENCED_ROW_2' ||
    e.code === 'ER_ROW_IS_REFERENCED_2' ||
    e.errno === 1452 ||
    e.errno === 1451
  );
}

/**
 * Turns a driver error into one of ours. Errors that are already ours pass
 * through untouched; `what` names the thing for the message ("user alice").
 */
export function toStoreError(err: unknown, what: string): Error {
  if (err instanceof ConflictError || err instanceof NotFoundError || err instanceof DatabaseError || err instanceof SecretError) {
    return err;
  }
  if (isUniqueViolation(err)) return new ConflictError(`${what} already exists`, { cause: err });
  if (isForeignKeyViolation(err)) return new NotFoundError(`${what}: a row it refers to does not exist`, { cause: err });
  return new DatabaseError(`database error (${what}): ${describeError(err)}`, { cause: err });
}
