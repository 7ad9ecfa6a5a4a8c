// Canonical parts → Anthropic request content blocks. Base64 payloads are
// passed on by reference (images may be 20 MB).
import type { Message, Part, Role } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { anthropicToolId } from './ids.js';
import { parseDataUrl } from './media-type.js';
import { toolInput } from './tool-input.js';

export type Block = Record<string, unknown>;

export interface AnthropicMessage {
  role: Role;
  content: Block[];
}

function refuse(message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param: 'messages' });
}

/**
 * Messages for the upstream: empty turns dropped, consecutive same-role turns
 * merged, tool results first in their user turn (Anthropic requires it), and
 * no trailing whitespace in a final assistant prefill (Anthropic rejects it).
 */
export function encodeMessages(messages: Message[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  for (const m of messages) {
    const blocks: Block[] = [];
    // A thinking block a client received in pieces (a Gemini stream's thought parts) comes back as
    // unsigned text, then the signature on an empty part: Claude checks it against the whole text.
    let unsignedThinking = '';
    for (const part of m.parts) {
      let block: Block | undefined;
      if (part.type === 'thinking' && part.redacted === undefined && m.role === 'assistant' && (!part.signature || part.text === '')) {
        if (!part.signature) {
          unsignedThinking += part.text;
          continue;
        }
        block = { type: 'thinking', thinking: unsignedThinking, signature: part.signature };
      } else block = encodePart(part, m.role);
      unsignedThinking = '';
      if (block !== undefined) blocks.push(block);
    }
    if (blocks.length === 0) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.role === m.role) for (const b of blocks) last.content.push(b);
    else out.push({ role: m.role, content: blocks });
  }
  for (const m of out) if (m.role === 'user') m.content = toolResultsFirst(m.content);
  trimFinalPrefill(out);
  return out;
}

function toolResultsFirst(blocks: Block[]): Block[] {
  const firstOther = blocks.findIndex((b) => b.type !== 'tool_result');
  if (firstOther < 0 || !blocks.slice(firstOther).some((b) => b.type === 'tool_result')) return blocks;
  return [...blocks.filter((b) => b.type === 'tool_result'), ...blocks.filter((b) => b.type !== 'tool_result')];
}

function trimFinalPrefill(out: AnthropicMessage[]): void {
  const last = out[out.length - 1];
  if (last === undefined || last.role !== 'assistant') return;
  const tail = last.content[last.content.length - 1];
  if (tail === undefined || tail.type !== 'text') return;
  const text = (tail.text as string).trimEnd();
  if (text !== '') last.content[last.content.length - 1] = { type: 'text', text };
  else if (last.content.length > 1) last.content.pop();
  else out.pop();
}

function encodePart(part: Part, role: Role): Block | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image':
      return part.thought ? undefined : encodeImage(part);
    case 'file':
      return encodeFile(part);
    case 'audio':
      throw refuse('Claude cannot take audio input; send text, images or PDFs');
    case 'tool_call':
      return { type: 'tool_use', id: anthropicToolId(part.id), name: part.name, input: toolInput(part.arguments) };
    case 'tool_result':
      return encodeToolResult(part);
    case 'thinking':
      // Only Claude's own signed thinking may go back; unsigned blocks are refused upstream.
      if (role !== 'assistant') return undefined;
      if (part.redacted !== undefined) return { type: 'redacted_thinking', data: part.redacted };
      return part.signature ? { type: 'thinking', thinking: part.text, signature: part.signature } : undefined;
  }
}

function encodeImage(part: { mimeType: string; data?: string; url?: string }): Block {
  if (part.data !== undefined) return { type: 'image', source: { type: 'base64', media_type: part.mimeType, data: part.data } };
  if (part.url !== undefined) {
    const inline = parseDataUrl(part.url);
    if (inline) return { type: 'image', source: { type: 'base64', media_type: inline.mimeType, data: inline.data } };
    return { type: 'image', source: { type: 'url', url: part.url } };
  }
  throw refuse('an image part has neither data nor a URL');
}

function encodeFile(part: { mimeType: string; data?: string; url?: string; filename?: string }): Block {
  const title = part.filename === undefined ? {} : { title: part.filename };
  const inline = part.data !== undefined ? { mimeType: part.mimeType, data: part.data } : part.url !== undefined ? parseDataUrl(part.url) : undefined;
  const mimeType = inline?.mimeType ?? part.mimeType;
  if (mimeType === 'application/pdf') {
    if (inline) return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: inline.data }, ...title };
    if (part.url !== undefined) return { type: 'document', source: { type: 'url', url: part.url }, ...title };
  }
  if (mimeType === 'text/plain' && inline) {
    const text = Buffer.from(inline.data, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title };
  }
  throw refuse(`Claude takes PDF documents (inline or by URL) and inline plain text only, not '${mimeType}'${part.url !== undefined ? ' by URL' : ''}`);
}

function encodeToolResult(part: Extract<Part, { type: 'tool_result' }>): Block {
  const content: Block[] = [];
  for (const p of part.content) {
    if (p.type === 'text') {
      if (p.text !== '') content.push({ type: 'text', text: p.text });
    } else if (p.type === 'image') {
      if (!p.thought) content.push(encodeImage(p));
    } else if (p.type === 'file') {
      content.push(encodeFile(p));
    } else if (p.type === 'audio') {
      throw refuse('Claude cannot take audio in a tool result');
    }
  }
  return {
    type: 'tool_result',
    tool_use_id: anthropicToolId(part.toolCallId),
    ...(content.length > 0 ? { content } : {}),
    ...(part.isError ? { is_error: true } : {}),
  };
}

/** System parts → text blocks: Claude's system prompt takes text only. */
export function encodeSystem(system: Part[]): Block[] {
  const blocks: Block[] = [];
  for (const p of system) {
    if (p.type !== 'text') throw new GatewayError('invalid_request', `Claude's system prompt takes text only, not '${p.type}'`, { param: 'system' });
    if (p.text !== '') blocks.push({ type: 'text', text: p.text });
  }
  return blocks;
}
