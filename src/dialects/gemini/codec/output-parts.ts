// Canonical answer parts → the parts of a Gemini candidate, as the client sees them.
import type { Part } from '../../canonical/types.js';
import { encodeMedia } from './media.js';
import { parseObject, type Rec } from './wire.js';

/** A Gemini part for one answer part; undefined for what Gemini cannot show (redacted thinking, tool results). */
export function encodeOutputPart(part: Part): Rec | undefined {
  let out: Rec;
  switch (part.type) {
    case 'text':
      out = { text: part.text };
      break;
    case 'thinking':
      if (part.text === '' && !part.signature) return undefined;
      out = { text: part.text, thought: true };
      break;
    case 'image':
      out = encodeMedia(part);
      if (part.thought) out.thought = true;
      break;
    case 'audio':
    case 'file':
      return encodeMedia(part);
    case 'tool_call':
      out = { functionCall: { id: part.id, name: part.name, args: parseObject(part.arguments) } };
      break;
    default:
      return undefined;
  }
  if (part.signature) out.thoughtSignature = part.signature;
  return out;
}
