// Canonical system parts and turns → chat `messages`. Tool results become `tool`
// messages right after the assistant turn that called them; what a `tool`
// message cannot hold (images, files) follows in a user message. Thinking is
// dropped: upstreams reject reasoning written by another provider.
import type { CanonicalRequest, Message, Part } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { sourceUrl, toDataUrl } from './data-url.js';
import { imageEntry } from './image-output.js';
import type { Json } from './wire-guards.js';
import { signatureExtra } from './thought-signature.js';

const audioFormatByMime: Record<string, string> = { 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'audio/mpeg': 'mp3', 'audio/mp3': 'mp3' };

export function encodeMessages(req: CanonicalRequest, provider: string): Json[] {
  const out: Json[] = [];
  const systemText = req.system.flatMap((p) => (p.type === 'text' && p.text ? [p.text] : [])).join('\n\n');
  if (systemText) out.push({ role: 'system', content: systemText });
  for (const msg of req.messages) {
    if (msg.role === 'assistant') out.push(encodeAssistant(msg, provider));
    else encodeUser(msg, out);
  }
  return out;
}

function encodeUser(msg: Message, out: Json[]): void {
  const content: Json[] = [];
  for (const part of msg.parts) {
    if (part.type !== 'tool_result') {
      const encoded = encodeContentPart(part);
      if (encoded) content.push(encoded);
      continue;
    }
    const texts: string[] = [];
    for (const inner of part.content) {
      if (inner.type === 'text') texts.push(inner.text);
      else {
        const encoded = encodeContentPart(inner);
        if (encoded) content.push(encoded);
      }
    }
    out.push({ role: 'tool', tool_call_id: part.toolCallId, content: texts.join('\n') });
  }
  if (content.length === 0) return;
  const only = content.length === 1 ? content[0] : undefined;
  out.push({ role: 'user', content: only?.type === 'text' ? only.text : content });
}

/** A user-side part as a chat content part; undefined for parts a user message cannot carry. */
function encodeContentPart(part: Part): Json | undefined {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image': {
      const url = sourceUrl(part);
      return url === undefined ? undefined : { type: 'image_url', image_url: { url } };
    }
    case 'audio': {
      if (part.data === undefined) throw notInline('audio');
      return { type: 'input_audio', input_audio: { data: part.data, format: audioFormatByMime[part.mimeType] ?? part.mimeType.replace(/^audio\//, '') } };
    }
    case 'file': {
      if (part.data === undefined) throw notInline('file');
      const file: Json = { file_data: toDataUrl(part.mimeType, part.data) };
      if (part.filename !== undefined) file.filename = part.filename;
      return { type: 'file', file };
    }
    default:
      return undefined;
  }
}

function notInline(kind: string): GatewayError {
  return new GatewayError('invalid_request', `An OpenAI chat upstream takes ${kind} content inline only (base64), not by URL.`);
}

function encodeAssistant(msg: Message, provider: string): Json {
  let text = '';
  // Text split by an image or a call (markdown read back, Anthropic blocks) keeps a paragraph break.
  let broken = false;
  const toolCalls: Json[] = [];
  const images: Json[] = [];
  for (const part of msg.parts) {
    if (part.type === 'text') {
      if (broken && text && part.text) text += '\n\n';
      text += part.text;
      broken = false;
      continue;
    }
    broken = true;
    if (part.type === 'tool_call') toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments }, ...(provider !== 'openai' && signatureExtra(part.signature)) });
    else if (part.type === 'image' && !part.thought) {
      const url = sourceUrl(part);
      if (url !== undefined) images.push(imageEntry(url));
    }
  }
  const out: Json = { role: 'assistant', content: text || (toolCalls.length > 0 ? null : '') };
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  // OpenAI itself refuses unknown message fields; compatible image models read OpenRouter's `images`.
  if (images.length > 0 && provider !== 'openai') out.images = images;
  return out;
}
