// Writes a planned Gemini answer: one GenerateContentResponse, SSE frames
// (`data: {…}\r\n\r\n`, no [DONE]) or a JSON array streamed element by
// element. Images are spliced in from the cache, never copied into strings.

import { blobPlaceholder, jsonWithBlobs } from './json-blobs.js';
import type { SimImage } from './png.js';
import type { Piece, Reply } from './reply.js';
import { chunkText } from './text.js';

export interface OutPart {
  text?: string;
  thought?: boolean;
  image?: SimImage;
  functionCall?: { name: string; args: unknown };
  thoughtSignature?: string;
}

export interface GeminiPlan {
  candidates: { parts: OutPart[]; finishReason: string }[];
  /** Final usageMetadata. */
  usage: Record<string, unknown>;
  /** usageMetadata for the chunks before the last (prompt side only). */
  partialUsage: Record<string, unknown>;
  modelVersion: string;
  responseId: string;
}

function renderPart(part: OutPart, blobs: Buffer[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (part.text !== undefined) out.text = part.text;
  if (part.image) {
    out.inlineData = { mimeType: 'image/png', data: blobPlaceholder(blobs.length) };
    blobs.push(part.image.base64);
  }
  if (part.functionCall) out.functionCall = part.functionCall;
  if (part.thought) out.thought = true;
  if (part.thoughtSignature) out.thoughtSignature = part.thoughtSignature;
  return out;
}

interface Chunk {
  candidates: { index: number; parts: OutPart[]; finishReason?: string }[];
  final: boolean;
}

function response(plan: GeminiPlan, chunk: Chunk): Piece[] {
  const blobs: Buffer[] = [];
  const body = {
    candidates: chunk.candidates.map((c) => ({
      content: { parts: c.parts.map((p) => renderPart(p, blobs)), role: 'model' },
      ...(c.finishReason && { finishReason: c.finishReason }),
      index: c.index,
    })),
    usageMetadata: chunk.final ? plan.usage : plan.partialUsage,
    modelVersion: plan.modelVersion,
    responseId: plan.responseId,
  };
  return jsonWithBlobs(body, blobs);
}

/** The whole answer as one response. */
export function renderWhole(plan: GeminiPlan): Piece[] {
  return response(plan, {
    candidates: plan.candidates.map((c, index) => ({ index, parts: c.parts, finishReason: c.finishReason })),
    final: true,
  });
}

/** The answer cut into stream chunks: text in short pieces, each image or call on its own. */
function streamChunks(plan: GeminiPlan): Chunk[] {
  const chunks: Chunk[] = [];
  plan.candidates.forEach((c, index) => {
    for (const part of c.parts) {
      if (part.text !== undefined && !part.image && !part.functionCall) {
        chunkText(part.text, 24).forEach((piece, k) => {
          const sig = k === 0 ? part.thoughtSignature : undefined;
          chunks.push({ candidates: [{ index, parts: [{ text: piece, thought: part.thought, thoughtSignature: sig }] }], final: false });
        });
      } else {
        chunks.push({ candidates: [{ index, parts: [part] }], final: false });
      }
    }
    const last = chunks[chunks.length - 1];
    const own = last?.candidates[0];
    if (own && own.index === index) own.finishReason = c.finishReason;
    else chunks.push({ candidates: [{ index, parts: [{ text: '' }], finishReason: c.finishReason }], final: false });
  });
  const last = chunks[chunks.length - 1];
  if (last) last.final = true;
  return chunks;
}

function join(prefix: string, pieces: Piece[], suffix: string): Piece[] {
  const [first, ...rest] = pieces;
  const out: Piece[] = typeof first === 'string' ? [prefix + first, ...rest] : [prefix, ...pieces];
  const tail = out[out.length - 1];
  if (suffix && typeof tail === 'string') out[out.length - 1] = tail + suffix;
  else if (suffix) out.push(suffix);
  return out;
}

/** `?alt=sse`: one `data:` frame per chunk. */
export function writeSse(reply: Reply, plan: GeminiPlan): void {
  reply.open(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'content-disposition': 'attachment' });
  for (const chunk of streamChunks(plan)) {
    if (!reply.event(join('data: ', response(plan, chunk), '\r\n\r\n'))) return;
  }
  reply.end();
}

/** No `alt`: a JSON array, each element written as soon as it is produced. */
export function writeJsonArray(reply: Reply, plan: GeminiPlan): void {
  reply.open(200, { 'content-type': 'application/json; charset=UTF-8' });
  let first = true;
  for (const chunk of streamChunks(plan)) {
    if (!reply.event(join(first ? '[' : ',\r\n', response(plan, chunk), ''))) return;
    first = false;
  }
  reply.end(']');
}
