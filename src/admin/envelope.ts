// The management API's envelope `{ success, message, data }` and the one error
// type its handlers throw. Store errors map to their HTTP meaning here, so a
// handler never picks a status for a database failure by hand.
import type { FastifyReply } from 'fastify';
import { ConflictError, DatabaseError, NotFoundError, SecretError } from '../store/errors.js';

export interface Envelope<T> {
  success: boolean;
  message: string;
  data: T;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export function ok<T>(data: T, message = ''): Envelope<T> {
  return { success: true, message, data };
}

/** An error with its HTTP status; `field` names the request field at fault. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly issues?: Array<{ field: string; message: string }>,
  ) {
    super(message);
  }
}

/** 400 naming the field: `"remain_quota: must be at least 0"`. */
export function invalid(field: string, message: string): ApiError {
  return new ApiError(400, `${field}: ${message}`, field, [{ field, message }]);
}
export const unauthorized = (message: string) => new ApiError(401, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);

/** Any thrown value → ApiError; unknown failures become a bare 500 (no stack, no driver text). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ConflictError) return conflict(err.message);
  if (err instanceof NotFoundError) return notFound(err.message);
  if (err instanceof SecretError) return new ApiError(500, `cannot read a stored secret: ${err.message}`);
  if (err instanceof DatabaseError) return new ApiError(500, 'database error; see the gateway log');
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (e && typeof e === 'object') {
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ApiError(413, 'request body is too large');
    const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
    if (status >= 400 && status < 500) return new ApiError(status, typeof e.message === 'string' ? e.message : 'bad request');
  }
  return new ApiError(500, 'internal error');
}

export function sendApiError(reply: FastifyReply, err: unknown): void {
  const api = toApiError(err);
  const data = api.field ? { field: api.field, issues: api.issues ?? [] } : null;
  reply.status(api.status).send({ success: false, message: api.message, data } satisfies Envelope<unknown>);
}
