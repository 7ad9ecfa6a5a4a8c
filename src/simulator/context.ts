// What every route handler receives: the parsed request, the reply writer and
// the simulator's shared state.

import type { IncomingMessage } from 'node:http';
import type { MultipartForm } from './multipart.js';
import type { Reply } from './reply.js';
import type { PromptCache } from './prompt-cache.js';
import type { ServiceAccounts } from './service-accounts.js';

export interface SimContext {
  req: IncomingMessage;
  reply: Reply;
  method: string;
  /** Decoded path, without the query. */
  path: string;
  query: URLSearchParams;
  /** The body as received. */
  body: Buffer;
  /** The parsed JSON body (undefined when there was none). */
  json: unknown;
  /** The parsed multipart form, on multipart routes. */
  form?: MultipartForm;
  /** The model named by the path or the body, with any `@fault=` suffix removed. */
  model: string | undefined;
  /** `http://host:port` as the client addressed us, for URLs we hand out. */
  origin: string;
  promptCache: PromptCache;
  /** Fake Google OAuth: trusted service accounts and the tokens issued to them. */
  accounts: ServiceAccounts;
}

/** The request's API key as its dialect carries it. */
export function openaiKey(ctx: SimContext): string | undefined {
  const auth = ctx.req.headers.authorization;
  if (!auth) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(auth);
  return match?.[1]?.trim() || undefined;
}

// x-api-key is the documented header; @anthropic-ai/sdk 1.x sends the API key
// as `Authorization: Bearer` instead, so both are accepted.
export function anthropicKey(ctx: SimContext): string | undefined {
  const key = ctx.req.headers['x-api-key'];
  return typeof key === 'string' && key ? key : openaiKey(ctx);
}

export function geminiKey(ctx: SimContext): string | undefined {
  const header = ctx.req.headers['x-goog-api-key'];
  if (typeof header === 'string' && header) return header;
  return ctx.query.get('key') || undefined;
}

/** A plain object view of a JSON value, or an empty object. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A field that proto3 JSON may spell in camelCase or snake_case. */
export function field(obj: Record<string, unknown>, camel: string, snake: string): unknown {
  return obj[camel] !== undefined ? obj[camel] : obj[snake];
}
