// An upstream's whole chat completion → canonical response.
import type { CanonicalResponse, Choice, Part } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { decodeChatUsage } from './chat-usage.js';
import { imageSourceFromUrl } from './data-url.js';
import { decodeFinishReason } from './finish-reason.js';
import { completionId, nowSeconds, toolCallId } from './ids.js';
import { splitMarkdownImages } from './markdown-images.js';
import { errorInBody } from './upstream-error.js';
import { isRecord, type Json } from './wire-guards.js';
import { signatureOf } from './thought-signature.js';

export function decodeChatResponse(json: Json): CanonicalResponse {
  if (!isRecord(json)) throw badAnswer('is not a JSON object');
  const error = errorInBody(json);
  if (error) throw error;
  if (!Array.isArray(json.choices)) throw badAnswer("has no 'choices' array");
  const res: CanonicalResponse = {
    id: typeof json.id === 'string' && json.id ? json.id : completionId(),
    model: typeof json.model === 'string' ? json.model : '',
    created: typeof json.created === 'number' ? json.created : nowSeconds(),
    choices: json.choices.map(decodeChoice),
  };
  const usage = decodeChatUsage(json.usage);
  if (usage) res.usage = usage;
  return res;
}

function badAnswer(what: string): GatewayError {
  return new GatewayError('upstream', `The upstream's chat completion ${what}.`);
}

function decodeChoice(raw: unknown, position: number): Choice {
  if (!isRecord(raw)) throw badAnswer(`has a choice that is not an object`);
  const message = isRecord(raw.message) ? raw.message : {};
  return {
    index: typeof raw.index === 'number' ? raw.index : position,
    parts: decodeMessageParts(message),
    finishReason: decodeFinishReason(raw.finish_reason),
  };
}

/** The assistant message's parts, in reading order: thinking, text, images, tool calls. */
export function decodeMessageParts(message: Json): Part[] {
  const parts: Part[] = [];
  const reasoning = typeof message.reasoning_content === 'string' && message.reasoning_content ? message.reasoning_content : message.reasoning;
  if (typeof reasoning === 'string' && reasoning) parts.push({ type: 'thinking', text: reasoning });
  addContent(message.content, parts);
  if (typeof message.refusal === 'string' && message.refusal) parts.push({ type: 'text', text: message.refusal });
  addImages(message.images, parts);
  addToolCalls(message, parts);
  return parts;
}

function addContent(content: unknown, parts: Part[]): void {
  if (typeof content === 'string') {
    // Relays that inline generated images as markdown data URLs: read them back as images.
    const pieces = splitMarkdownImages(content);
    if (pieces) parts.push(...pieces);
    else if (content) parts.push({ type: 'text', text: content });
    return;
  }
  if (!Array.isArray(content)) return;
  for (const item of content) {
    if (isRecord(item) && typeof item.text === 'string' && (item.type === 'text' || item.type === undefined)) parts.push({ type: 'text', text: item.text });
  }
}

function addImages(images: unknown, parts: Part[]): void {
  if (!Array.isArray(images)) return;
  const seen = new Set<string>();
  for (const p of parts) if (p.type === 'image' && p.data !== undefined) seen.add(p.data);
  for (const item of images) {
    const imageUrl = isRecord(item) ? item.image_url : undefined;
    const url = isRecord(imageUrl) ? imageUrl.url : imageUrl;
    const source = typeof url === 'string' ? imageSourceFromUrl(url) : undefined;
    if (source && !(source.data !== undefined && seen.has(source.data))) parts.push({ type: 'image', ...source });
  }
}

function addToolCalls(message: Json, parts: Part[]): void {
  const calls: unknown[] = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  for (const raw of calls) {
    const fn = isRecord(raw) && isRecord(raw.function) ? raw.function : undefined;
    if (!fn || typeof fn.name !== 'string') continue;
    const id = isRecord(raw) && typeof raw.id === 'string' && raw.id ? raw.id : toolCallId();
    const signature = signatureOf(raw);
    parts.push({ type: 'tool_call', id, name: fn.name, arguments: argumentsText(fn.arguments), ...(signature && { signature }) });
  }
  const legacy = message.function_call;
  if (isRecord(legacy) && typeof legacy.name === 'string') {
    parts.push({ type: 'tool_call', id: toolCallId(), name: legacy.name, arguments: argumentsText(legacy.arguments) });
  }
}

function argumentsText(v: unknown): string {
  if (typeof v === 'string') return v;
  return isRecord(v) ? JSON.stringify(v) : '{}';
}
