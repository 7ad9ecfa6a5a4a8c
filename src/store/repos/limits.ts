// Rate limits live in three nullable columns on users and tokens; the
// entities carry them as one RateLimits object whose absent fields mean "no
// limit".
import type { RateLimits } from '../entities.js';

interface LimitColumns {
  rpm_limit: number | null;
  tpm_limit: number | null;
  concurrency_limit: number | null;
}

export function limitsFromRow(r: { [K in keyof LimitColumns]: unknown }): RateLimits {
  const out: RateLimits = {};
  if (r.rpm_limit !== null && r.rpm_limit !== undefined) out.rpm = Number(r.rpm_limit);
  if (r.tpm_limit !== null && r.tpm_limit !== undefined) out.tpm = Number(r.tpm_limit);
  if (r.concurrency_limit !== null && r.concurrency_limit !== undefined) out.concurrency = Number(r.concurrency_limit);
  return out;
}

function limitValue(field: keyof RateLimits, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`rate limit "${field}" must be a whole number ≥ 0 (got ${JSON.stringify(v)})`);
  }
  return v;
}

/**
 * Columns for a write: undefined leaves the stored limits alone; an object
 * (or null) replaces all three, absent fields clearing theirs.
 */
export function limitColumns(limits: RateLimits | null | undefined): LimitColumns | undefined {
  if (limits === undefined) return undefined;
  return {
    rpm_limit: limitValue('rpm', limits?.rpm),
    tpm_limit: limitValue('tpm', limits?.tpm),
    concurrency_limit: limitValue('concurrency', limits?.concurrency),
  };
}

export const NO_LIMIT_COLUMNS: LimitColumns = { rpm_limit: null, tpm_limit: null, concurrency_limit: null };
