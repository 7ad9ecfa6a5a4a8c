// What the gateway must know about a request before any money moves: a rough
// prompt size and the output bound (for the worst-case reservation), and for
// image requests how many images of what size. Dialect inspectors also refuse
// what the upstream would refuse, so a bad request costs nothing and never
// reaches a channel.
import { inspectGeminiRequest } from '../dialects/gemini/inspect-request.js';
import type { DialectName } from '../dialects/types.js';

export interface ImageFacts {
  /** Images one upstream call will produce. */
  count: number;
  /** "512" | "1K" | "2K" | "4K", or an OpenAI size such as "1024x1024". */
  size?: string;
  aspectRatio?: string;
}

export interface RequestFacts {
  /** Prompt size estimate in tokens (about 4 characters a token). */
  promptTokens: number;
  /** The client's cap on output tokens, when it set one. */
  maxOutputTokens?: number;
  /** Present when the request generates images. */
  images?: ImageFacts;
  /** Input images attached to the request. */
  referenceImages: number;
}

/** A dialect's inspector: returns facts, or throws a GatewayError to refuse. */
export type RequestInspector = (input: { operation: string; model: string; json: Record<string, unknown>; rawBytes: number }) => RequestFacts;

/** Dialects with their own inspector; the others get `genericFacts`. */
const INSPECTORS: Partial<Record<DialectName, RequestInspector>> = { gemini: inspectGeminiRequest };

export function inspectRequest(
  dialect: DialectName,
  input: { operation: string; model: string; json: Record<string, unknown> | undefined; rawBytes: number },
): RequestFacts {
  const inspector = INSPECTORS[dialect];
  if (!input.json) return { promptTokens: Math.ceil(input.rawBytes / 4), referenceImages: 0 };
  if (!inspector) return genericFacts(input.json, input.rawBytes);
  return inspector({ ...input, json: input.json });
}

/** Without a dialect inspector: size from the body, output cap from the usual fields. */
export function genericFacts(json: Record<string, unknown>, rawBytes: number): RequestFacts {
  const cap = json.max_completion_tokens ?? json.max_tokens ?? json.max_output_tokens;
  return {
    promptTokens: Math.ceil(rawBytes / 4),
    maxOutputTokens: typeof cap === 'number' && cap > 0 ? Math.floor(cap) : undefined,
    referenceImages: 0,
  };
}
