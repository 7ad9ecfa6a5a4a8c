// One part of an upstream candidate → a canonical part. Shared by the whole
// answer and the stream decoders. Code-execution and other Google-only parts
// have no canonical form and are skipped.
import type { Part } from '../../canonical/types.js';
import { newCallId } from './ids.js';
import { field, isRec, mediaKind, type Rec } from './wire.js';

function stringField(obj: Rec, camel: string, snake: string): string | undefined {
  const v = field(obj, camel, snake);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function decodeResponsePart(raw: unknown): Part | undefined {
  if (!isRec(raw)) return undefined;
  const signature = stringField(raw, 'thoughtSignature', 'thought_signature');
  const thought = raw.thought === true;
  if (typeof raw.text === 'string') {
    const text = raw.text;
    if (thought) return signature ? { type: 'thinking', text, signature } : { type: 'thinking', text };
    return signature ? { type: 'text', text, signature } : { type: 'text', text };
  }
  const inline = field(raw, 'inlineData', 'inline_data');
  if (isRec(inline) && typeof inline.data === 'string') {
    const mimeType = stringField(inline, 'mimeType', 'mime_type') ?? 'application/octet-stream';
    const kind = mediaKind(mimeType);
    if (kind !== 'image') return { type: kind, mimeType, data: inline.data };
    const image: Part = { type: 'image', mimeType, data: inline.data };
    if (thought) image.thought = true;
    if (signature) image.signature = signature;
    return image;
  }
  const file = field(raw, 'fileData', 'file_data');
  if (isRec(file)) {
    const url = stringField(file, 'fileUri', 'file_uri');
    if (!url) return undefined;
    const mimeType = stringField(file, 'mimeType', 'mime_type') ?? '';
    const kind = mediaKind(mimeType);
    return kind === 'image' ? { type: 'image', mimeType, url, ...(signature && { signature }) } : { type: kind, mimeType, url };
  }
  const call = field(raw, 'functionCall', 'function_call');
  if (isRec(call)) {
    const args = isRec(call.args) ? call.args : {};
    const part: Part = {
      type: 'tool_call',
      id: stringField(call, 'id', 'id') ?? newCallId(),
      name: typeof call.name === 'string' ? call.name : '',
      arguments: JSON.stringify(args),
    };
    if (signature) part.signature = signature;
    return part;
  }
  return undefined;
}

/** The parts of a candidate's content (missing content, as on a SAFETY stop, is no parts). */
export function candidateParts(candidate: Rec): unknown[] {
  const content = candidate.content;
  return isRec(content) && Array.isArray(content.parts) ? content.parts : [];
}
