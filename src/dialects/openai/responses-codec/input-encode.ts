// Canonical turns → Responses `input` items. Parts inside a turn keep their
// order: text and media gather into message items, while calls, their results
// and reasoning become items of their own between them.
import type { Message, Part } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { sourceUrl } from './media.js';

type Item = Record<string, unknown>;

const extensionByMime: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'application/json': 'json',
  'text/html': 'html',
};

export interface EncodedInput {
  items: Item[];
  /** Reasoning items with encrypted_content were sent: the upstream must run with store:false and return them. */
  replaysReasoning: boolean;
}

/**
 * `keepSignature` decides whether a thinking signature can go back as
 * encrypted_content (OpenAI rejects another provider's signature outright).
 */
export function encodeInput(messages: Message[], keepSignature: (signature: string) => boolean): EncodedInput {
  const out: EncodedInput = { items: [], replaysReasoning: false };
  for (const m of messages) {
    if (m.role === 'user') encodeUserTurn(m.parts, out.items);
    else encodeAssistantTurn(m.parts, out, keepSignature);
  }
  return out;
}

/** Input content (user messages, system parts with media, function outputs). */
export function encodeInputPart(part: Part): Item | undefined {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image':
      return { type: 'input_image', image_url: sourceUrl(part), detail: 'auto' };
    case 'file': {
      if (part.data === undefined) return { type: 'input_file', file_url: part.url, ...(part.filename !== undefined && { filename: part.filename }) };
      // OpenAI wants a file name beside inline data.
      const filename = part.filename ?? `file.${extensionByMime[part.mimeType] ?? 'pdf'}`;
      return { type: 'input_file', filename, file_data: sourceUrl(part) };
    }
    case 'audio':
      throw new GatewayError('invalid_request', 'Audio input cannot be sent to an OpenAI Responses channel; this model does not take audio through that API.');
    default:
      return undefined;
  }
}

function encodeUserTurn(parts: Part[], items: Item[]): void {
  let content: Item[] = [];
  const flush = () => {
    if (content.length > 0) items.push({ type: 'message', role: 'user', content });
    content = [];
  };
  for (const part of parts) {
    if (part.type === 'tool_result') {
      flush();
      items.push({ type: 'function_call_output', call_id: part.toolCallId, output: encodeToolOutput(part.content) });
      continue;
    }
    const encoded = encodeInputPart(part);
    if (encoded) content.push(encoded);
  }
  flush();
}

/** A tool's result: plain text as a string, anything richer as input parts. */
function encodeToolOutput(content: Part[]): string | Item[] {
  if (content.every((p) => p.type === 'text')) return content.map((p) => (p.type === 'text' ? p.text : '')).join('');
  const items: Item[] = [];
  for (const part of content) {
    const encoded = encodeInputPart(part);
    if (encoded) items.push(encoded);
  }
  return items;
}

function encodeAssistantTurn(parts: Part[], out: EncodedInput, keepSignature: (signature: string) => boolean): void {
  let content: Item[] = [];
  const flush = () => {
    if (content.length > 0) out.items.push({ type: 'message', role: 'assistant', content });
    content = [];
  };
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        content.push({ type: 'output_text', text: part.text });
        break;
      case 'tool_call':
        flush();
        out.items.push({ type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments });
        break;
      case 'thinking':
        // Reasoning only goes back encrypted; bare text (or another provider's signature) has no Responses form.
        if (part.signature === undefined || !keepSignature(part.signature)) break;
        flush();
        out.items.push({
          type: 'reasoning',
          summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
          encrypted_content: part.signature,
        });
        out.replaysReasoning = true;
        break;
      // Generated images in past turns have no input form on the assistant side; they are left out.
      default:
        break;
    }
  }
  flush();
}
