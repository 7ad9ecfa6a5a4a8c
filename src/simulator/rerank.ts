// POST /v1/rerank, Jina/Cohere style: {model, query, documents (strings or
// {text}), top_n, return_documents} → results sorted by relevance_score
// (word overlap with the query, plus a small seeded jitter so ties are
// stable), each with its input index and, unless return_documents is false,
// the document; usage counts query and documents. Errors in OpenAI's shape.

import { asRecord, type SimContext } from './context.js';
import { openaiError, openaiMissing, openaiModelNotFound } from './errors.js';
import { newId } from './ids.js';
import { countTokens, hashString } from './text.js';

const MAX_DOCUMENTS = 1000;

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
}

/** In (0, 1): the share of query words the document contains, plus jitter under 0.05. */
function relevance(query: Set<string>, queryText: string, doc: string): number {
  const docWords = words(doc);
  let hits = 0;
  for (const w of query) if (docWords.has(w)) hits++;
  const overlap = query.size > 0 ? hits / query.size : 0;
  const jitter = (hashString(`${queryText}\u0000${doc}`) % 10_000) / 200_000;
  return Number((0.01 + 0.9 * overlap + jitter).toFixed(6));
}

function documentText(doc: unknown): string | undefined {
  if (typeof doc === 'string') return doc;
  const text = asRecord(doc).text;
  return typeof text === 'string' ? text : undefined;
}

export function handleRerank(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const model = ctx.model;
  if (!model) return ctx.reply.error(openaiMissing('model'));
  if (model.includes('nonexistent')) return ctx.reply.error(openaiModelNotFound(model));
  if (typeof body.query !== 'string' || body.query === '') return ctx.reply.error(openaiMissing('query'));
  if (!Array.isArray(body.documents) || body.documents.length === 0) return ctx.reply.error(openaiMissing('documents'));
  if (body.documents.length > MAX_DOCUMENTS) {
    return ctx.reply.error(openaiError(400, `Invalid 'documents': at most ${MAX_DOCUMENTS} documents, got ${body.documents.length}.`, 'invalid_request_error', 'documents', 'invalid_value'));
  }
  const texts: string[] = [];
  for (let i = 0; i < body.documents.length; i++) {
    const text = documentText(body.documents[i]);
    if (text === undefined) {
      return ctx.reply.error(openaiError(400, `Invalid 'documents[${i}]': expected a string or an object with a 'text' string.`, 'invalid_request_error', `documents[${i}]`, 'invalid_type'));
    }
    texts.push(text);
  }
  const topN = body.top_n ?? texts.length;
  if (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 1) {
    return ctx.reply.error(openaiError(400, `Invalid 'top_n': expected a positive integer, but got ${JSON.stringify(topN)} instead.`, 'invalid_request_error', 'top_n', 'invalid_value'));
  }
  const query = words(body.query);
  const withDocuments = body.return_documents !== false;
  const results = texts
    .map((text, index) => ({ index, relevance_score: relevance(query, body.query as string, text), text }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, topN)
    .map(({ index, relevance_score, text }) => (withDocuments ? { index, relevance_score, document: { text } } : { index, relevance_score }));
  const tokens = countTokens(body.query) * texts.length + texts.reduce((sum, t) => sum + countTokens(t), 0);
  ctx.reply.json(200, { id: newId('rerank-'), model, results, usage: { prompt_tokens: tokens, total_tokens: tokens } }, { 'x-request-id': newId('req_') });
}
