// Request parsing for the management API: JSON bodies (the app hands every
// body over as raw bytes), query strings, path ids, paging and times, all
// through zod, with errors that name the field and never reach a 500.
import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import * as z from 'zod';
import { invalid, ApiError } from './envelope.js';

type Issue = z.core.$ZodIssue;

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out || 'body';
}

function issueLines(issue: Issue, prefix: string): Array<{ field: string; message: string }> {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ field: pathOf(prefix, [...issue.path, k]), message: 'unknown field' }));
  }
  // zod does not keep the input on issues; its wording says when nothing was sent.
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
  const message = missing ? 'is required' : issue.message;
  return [{ field: pathOf(prefix, issue.path), message }];
}

/** Parses or throws a 400 whose message starts with the first bad field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((i) => issueLines(i, prefix));
  const first = issues[0] ?? { field: prefix || 'body', message: 'is invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new ApiError(400, `${first.field}: ${first.message}${more}`, first.field, issues);
}

/** The JSON body as a value; no body reads as `{}`. */
export function jsonBody(req: FastifyRequest): unknown {
  const raw = req.body;
  if (raw === undefined || raw === null) return {};
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : undefined;
  if (text === undefined) return raw;
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('body', 'is not valid JSON');
  }
}

/** Parses the JSON body, which must be an object, against `schema`. */
export function parseBody<S extends z.ZodType>(req: FastifyRequest, schema: S, ignore: readonly string[] = []): z.output<S> {
  const body = jsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'expected a JSON object');
  return parseWith(schema, withoutReadOnly(body, ignore));
}

/** Query parameters as single strings (the first of repeated ones). */
export function queryOf(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/** A positive integer from a path or query string. */
export function positiveInt(field: string, raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim()) || Number(raw) < 1) {
    throw invalid(field, `expected a positive integer, got ${JSON.stringify(raw ?? '')}`);
  }
  return Number(raw);
}

export function optionalInt(field: string, raw: string | undefined, min = 0): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const t = raw.trim();
  if (!/^-?\d{1,15}$/.test(t) || Number(t) < min) throw invalid(field, `expected an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return Number(t);
}

export function idParam(req: FastifyRequest, name = 'id'): number {
  return positiveInt(name, (req.params as Record<string, string | undefined>)[name]);
}

export interface Paging {
  page: number;
  pageSize: number;
  offset: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `p` (or `page`) counts from 1 — `p=0` reads as the first page, as old new-api clients send it. */
export function paging(q: Record<string, string>): Paging {
  const page = Math.max(1, optionalInt(q.p !== undefined ? 'p' : 'page', q.p ?? q.page, 0) ?? 1);
  const sizeField = q.page_size !== undefined ? 'page_size' : 'size';
  const rawSize = optionalInt(sizeField, q.page_size ?? q.size, 1) ?? DEFAULT_PAGE_SIZE;
  const pageSize = Math.min(MAX_PAGE_SIZE, rawSize);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/**
 * A point in time as epoch ms. Accepts epoch milliseconds, epoch seconds
 * (values below 1e11, i.e. before 1973 as ms) and ISO dates / date-times.
 */
export function timeParam(field: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const t = raw.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return Math.round(n < 1e11 ? n * 1000 : n);
  }
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t) ? `${t}Z` : t);
  if (Number.isNaN(ms)) throw invalid(field, `expected epoch milliseconds or an ISO date-time, got ${JSON.stringify(raw)}`);
  return ms;
}

export function isIpOrCidr(s: string): boolean {
  const [addr, prefix, extra] = s.split('/');
  if (extra !== undefined || !addr) return false;
  const version = isIP(addr);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

// ---- shared zod pieces ----

export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const groupName = z.string().regex(GROUP_NAME, 'use letters, digits, "_", "-" and "." (up to 64)');
export const usd = z.number().min(0).max(1e9);
export const modelName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s\x00-\x1f]+$/, 'must not contain spaces');

const limitValue = z.number().int().min(1).max(1e9).nullable();
/** Our per-token / per-user rate limits; null clears one. */
export const limitsSchema = z.strictObject({ rpm: limitValue.optional(), tpm: limitValue.optional(), concurrency: limitValue.optional() });

type Limits = { rpm?: number; tpm?: number; concurrency?: number };

/**
 * The limits after a patch: a named field is set (null removes it), a field
 * left out keeps its current value; `limits: null` removes them all.
 */
export function mergeLimits(current: Limits | undefined, patch: z.output<typeof limitsSchema> | null): Limits {
  if (patch === null) return {};
  const out: Limits = { ...(current ?? {}) };
  for (const k of ['rpm', 'tpm', 'concurrency'] as const) {
    const v = patch[k];
    if (v === null) delete out[k];
    else if (typeof v === 'number') out[k] = v;
  }
  return out;
}

/** Read-only fields a client may echo back from a GET; ignored rather than refused. */
export function withoutReadOnly(body: unknown, keys: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const copy = { ...(body as Record<string, unknown>) };
  for (const k of keys) delete copy[k];
  return copy;
}
