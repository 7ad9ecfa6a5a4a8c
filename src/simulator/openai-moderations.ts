// POST /v1/moderations, like OpenAI: one result per input string (a
// multimodal parts array is one input), nothing flagged, small deterministic
// scores. omni-moderation-* models add the illicit categories and
// category_applied_input_types; text-moderation-* models do not.

import { asRecord, type SimContext } from './context.js';
import { openaiError, openaiMissing, openaiModelNotFound } from './errors.js';
import { newId } from './ids.js';
import { hashString, seededRandom } from './text.js';

const TEXT_CATEGORIES = [
  'harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'self-harm', 'self-harm/intent',
  'self-harm/instructions', 'sexual', 'sexual/minors', 'violence', 'violence/graphic',
];
const OMNI_ONLY = ['illicit', 'illicit/violent'];
// The omni categories that also judge images.
const IMAGE_CATEGORIES = new Set(['self-harm', 'self-harm/intent', 'self-harm/instructions', 'sexual', 'violence', 'violence/graphic']);

interface ModerationInput {
  text: string;
  hasImage: boolean;
}

function readInputs(input: unknown): ModerationInput[] | undefined {
  if (typeof input === 'string') return [{ text: input, hasImage: false }];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === 'string')) return (input as string[]).map((text) => ({ text, hasImage: false }));
  // Multimodal: [{type: 'text', text}, {type: 'image_url', image_url: {url}}] is a single input.
  let text = '';
  let hasImage = false;
  for (const raw of input) {
    const part = asRecord(raw);
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'image_url') hasImage = true;
    else return undefined;
  }
  return [{ text, hasImage }];
}

function result(input: ModerationInput, omni: boolean): Record<string, unknown> {
  const rand = seededRandom(hashString(input.text));
  const names = omni ? [...TEXT_CATEGORIES.slice(0, 4), ...OMNI_ONLY, ...TEXT_CATEGORIES.slice(4)] : TEXT_CATEGORIES;
  const categories: Record<string, boolean> = {};
  const scores: Record<string, number> = {};
  const applied: Record<string, string[]> = {};
  for (const name of names) {
    categories[name] = false;
    scores[name] = Number((rand() * 1e-3).toPrecision(6));
    applied[name] = input.hasImage && IMAGE_CATEGORIES.has(name) ? ['text', 'image'] : ['text'];
  }
  const out: Record<string, unknown> = { flagged: false, categories, category_scores: scores };
  if (omni) out.category_applied_input_types = applied;
  return out;
}

export function handleModerations(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const model = ctx.model ?? 'omni-moderation-latest';
  if (model.includes('nonexistent')) return ctx.reply.error(openaiModelNotFound(model));
  if (body.input === undefined) return ctx.reply.error(openaiMissing('input'));
  const inputs = readInputs(body.input);
  if (!inputs) {
    return ctx.reply.error(openaiError(400, "Invalid type for 'input': expected one of a string, an array of strings or an array of multi-modal inputs.", 'invalid_request_error', 'input', 'invalid_type'));
  }
  const omni = !model.startsWith('text-moderation');
  ctx.reply.json(200, { id: newId('modr-'), model, results: inputs.map((input) => result(input, omni)) }, { 'x-request-id': newId('req_') });
}
