// Canonical output parts → the content blocks of an Anthropic answer; shared
// by the whole-answer and stream encoders.
import type { Part } from '../../canonical/types.js';
import { toolInput } from './tool-input.js';

export type Block = Record<string, unknown>;

/** An answer image: inline as base64, or by URL once the relay stored it. */
export function imageBlock(image: { mimeType: string; data?: string; url?: string }): Block | undefined {
  if (image.data !== undefined) return { type: 'image', source: { type: 'base64', media_type: image.mimeType, data: image.data } };
  if (image.url !== undefined) return { type: 'image', source: { type: 'url', url: image.url } };
  return undefined;
}

/** One part → a block, or undefined for parts an answer cannot show (thought images, audio, files). */
export function outputBlock(part: Part): Block | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'thinking':
      if (part.redacted !== undefined) return { type: 'redacted_thinking', data: part.redacted };
      if (part.text === '' && !part.signature) return undefined;
      return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments) };
    case 'image':
      return part.thought ? undefined : imageBlock(part);
    default:
      return undefined;
  }
}
