// Anthropic request content blocks → canonical parts. Base64 payloads are
// passed on by reference, never copied.
import type { Part } from '../../canonical/types.js';
import {
  absent,
  invalid,
  isRecord,
  optionalBoolean,
  optionalString,
  requireArray,
  requireRecord,
  requireString,
  type Json,
} from './json-read.js';
import { mediaTypeFromUrl } from './media-type.js';

/** What decoding one request remembers across messages. */
export interface ContentDecodeContext {
  /** tool_use id → tool name, so tool results can name their function (Gemini needs it). */
  toolNames: Map<string, string>;
}

/** `content`: a string (one text block) or a list of blocks. */
export function decodeContent(content: unknown, path: string, ctx: ContentDecodeContext): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (absent(content)) throw invalid(path, 'Field required');
  if (!Array.isArray(content)) throw invalid(path, 'Input should be a valid string or a list of content blocks');
  const parts: Part[] = [];
  for (let i = 0; i < content.length; i++) parts.push(decodeBlock(content[i], `${path}.${i}`, ctx));
  return parts;
}

function decodeBlock(value: unknown, path: string, ctx: ContentDecodeContext): Part {
  const block = requireRecord(value, path);
  const type = requireString(block.type, `${path}.type`);
  switch (type) {
    case 'text':
      return { type: 'text', text: requireString(block.text, `${path}.text`) };
    case 'image':
      return decodeImage(block, path);
    case 'document':
      return decodeDocument(block, path, ctx);
    case 'tool_use':
      return decodeToolUse(block, path, ctx);
    case 'tool_result':
      return decodeToolResult(block, path, ctx);
    case 'thinking':
      return {
        type: 'thinking',
        text: requireString(block.thinking, `${path}.thinking`),
        signature: requireString(block.signature, `${path}.signature`),
      };
    case 'redacted_thinking':
      return { type: 'thinking', text: '', redacted: requireString(block.data, `${path}.data`) };
    default:
      throw invalid(`${path}.type`, `content blocks of type '${type}' only work on Anthropic channels`);
  }
}

function decodeImage(block: Json, path: string): Part {
  const source = requireRecord(block.source, `${path}.source`);
  const kind = requireString(source.type, `${path}.source.type`);
  if (kind === 'base64') {
    return {
      type: 'image',
      mimeType: requireString(source.media_type, `${path}.source.media_type`),
      data: requireString(source.data, `${path}.source.data`),
    };
  }
  if (kind === 'url') {
    const url = requireString(source.url, `${path}.source.url`);
    return { type: 'image', mimeType: mediaTypeFromUrl(url, 'image/jpeg'), url };
  }
  throw invalid(`${path}.source.type`, `image sources of type '${kind}' only work on Anthropic channels`);
}

function decodeDocument(block: Json, path: string, ctx: ContentDecodeContext): Part {
  const source = requireRecord(block.source, `${path}.source`);
  const kind = requireString(source.type, `${path}.source.type`);
  const filename = optionalString(block.title, `${path}.title`);
  const named = filename === undefined ? {} : { filename };
  switch (kind) {
    case 'base64':
      return {
        type: 'file',
        mimeType: requireString(source.media_type, `${path}.source.media_type`),
        data: requireString(source.data, `${path}.source.data`),
        ...named,
      };
    case 'url': {
      const url = requireString(source.url, `${path}.source.url`);
      return { type: 'file', mimeType: mediaTypeFromUrl(url, 'application/pdf'), url, ...named };
    }
    case 'text':
      return { type: 'text', text: requireString(source.data, `${path}.source.data`) };
    case 'content':
      return { type: 'text', text: documentContentText(source.content, `${path}.source.content`, ctx) };
    default:
      throw invalid(`${path}.source.type`, `document sources of type '${kind}' only work on Anthropic channels`);
  }
}

/** A `content` document source is text chunks; the canonical form is their text. */
function documentContentText(content: unknown, path: string, ctx: ContentDecodeContext): string {
  const parts = decodeContent(content, path, ctx);
  return parts.map((p, i) => {
    if (p.type !== 'text') throw invalid(`${path}.${i}`, 'only text blocks can be converted from a content document');
    return p.text;
  }).join('\n');
}

function decodeToolUse(block: Json, path: string, ctx: ContentDecodeContext): Part {
  const id = requireString(block.id, `${path}.id`);
  const name = requireString(block.name, `${path}.name`);
  if (!isRecord(block.input)) throw invalid(`${path}.input`, 'Input should be an object');
  ctx.toolNames.set(id, name);
  return { type: 'tool_call', id, name, arguments: JSON.stringify(block.input) };
}

function decodeToolResult(block: Json, path: string, ctx: ContentDecodeContext): Part {
  const toolCallId = requireString(block.tool_use_id, `${path}.tool_use_id`);
  const content = absent(block.content) ? [] : decodeContent(block.content, `${path}.content`, ctx);
  for (let i = 0; i < content.length; i++) {
    const t = content[i]!.type;
    if (t !== 'text' && t !== 'image' && t !== 'file') throw invalid(`${path}.content.${i}.type`, `a tool_result cannot hold '${t}' blocks`);
  }
  const isError = optionalBoolean(block.is_error, `${path}.is_error`);
  const name = ctx.toolNames.get(toolCallId);
  return {
    type: 'tool_result',
    toolCallId,
    ...(name === undefined ? {} : { name }),
    content,
    ...(isError === undefined ? {} : { isError }),
  };
}

/** `system`: a string or a list of text blocks (cache_control ignored). */
export function decodeSystem(system: unknown, path: string): Part[] {
  if (absent(system)) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  const blocks = requireArray(system, path);
  return blocks.map((value, i) => {
    const block = requireRecord(value, `${path}.${i}`);
    const type = requireString(block.type, `${path}.${i}.type`);
    if (type !== 'text') throw invalid(`${path}.${i}.type`, "Input should be 'text'");
    return { type: 'text', text: requireString(block.text, `${path}.${i}.text`) };
  });
}
