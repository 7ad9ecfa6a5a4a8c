// Canonical messages → Gemini `contents`. Gemini wants function names on
// responses (looked up from the calls), all responses to one model turn in one
// user turn, and — on Gemini 3 — a thought signature on model function calls
// and images: history from another dialect has none, so it gets the value
// Google documents for exactly that case.
import type { Message, Part } from '../../canonical/types.js';
import { encodeMedia } from './media.js';
import { invalid, parseObject, parseObjectOrUndefined, type Rec } from './wire.js';

/** Google accepts this in place of a real signature for history it did not produce. */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

type ToolResult = Extract<Part, { type: 'tool_result' }>;

function encodeModelParts(parts: Part[], callNames: Map<string, string>): Rec[] {
  const out: Rec[] = [];
  // A thinking block's text is not sent back; its signature rides on the next part.
  let carried: string | undefined;
  for (const part of parts) {
    let encoded: Rec;
    let needsSignature = false;
    switch (part.type) {
      case 'thinking':
        if (part.signature) carried = part.signature;
        continue;
      case 'text':
        // Gemini refuses empty text parts; an empty one only matters for its signature.
        if (part.text === '' && !part.signature) continue;
        encoded = { text: part.text };
        break;
      case 'image':
        encoded = encodeMedia(part);
        if (part.thought) encoded.thought = true;
        needsSignature = true;
        break;
      case 'audio':
      case 'file':
        encoded = encodeMedia(part);
        break;
      case 'tool_call':
        callNames.set(part.id, part.name);
        encoded = { functionCall: { name: part.name, args: parseObject(part.arguments) } };
        needsSignature = true;
        break;
      default:
        continue; // tool results never sit in a model turn
    }
    const signature = ('signature' in part ? part.signature : undefined) || carried;
    carried = undefined;
    if (signature) encoded.thoughtSignature = signature;
    else if (needsSignature) encoded.thoughtSignature = SKIP_SIGNATURE;
    out.push(encoded);
  }
  return out;
}

function textOf(parts: Part[]): string {
  let text = '';
  for (const p of parts) if (p.type === 'text') text += p.text;
  return text;
}

/** A tool result → its functionResponse part, plus the images or files it returned as sibling parts. */
function encodeToolResult(part: ToolResult, callNames: Map<string, string>, media: Rec[]): Rec {
  const name = part.name || callNames.get(part.toolCallId);
  if (!name) {
    throw invalid(`The tool result for call '${part.toolCallId}' answers no earlier tool call, and Gemini needs the function's name.`, 'messages');
  }
  const text = textOf(part.content);
  const value = parseObjectOrUndefined(text);
  const response = part.isError ? { error: value ?? text } : (value ?? { result: text });
  for (const p of part.content) if (p.type === 'image' || p.type === 'audio' || p.type === 'file') media.push(encodeMedia(p));
  return { functionResponse: { name, response } };
}

function encodeUserParts(parts: Part[], callNames: Map<string, string>): { results: Rec[]; rest: Rec[] } {
  const results: Rec[] = [];
  const rest: Rec[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        if (part.text !== '') rest.push({ text: part.text });
        break;
      case 'image':
      case 'audio':
      case 'file':
        rest.push(encodeMedia(part));
        break;
      case 'tool_result':
        results.push(encodeToolResult(part, callNames, rest));
        break;
      default:
        break; // calls and thinking belong to the model
    }
  }
  return { results, rest };
}

function onlyFunctionResponses(content: Rec | undefined): content is { role: string; parts: Rec[] } {
  if (!content || content.role !== 'user') return false;
  return (content.parts as Rec[]).every((p) => p.functionResponse !== undefined);
}

export function encodeContents(messages: Message[]): Rec[] {
  const contents: Rec[] = [];
  const callNames = new Map<string, string>();
  for (const message of messages) {
    if (message.role === 'assistant') {
      const parts = encodeModelParts(message.parts, callNames);
      if (parts.length > 0) contents.push({ role: 'model', parts });
      continue;
    }
    const { results, rest } = encodeUserParts(message.parts, callNames);
    if (results.length === 0 && rest.length === 0) continue;
    const previous = contents[contents.length - 1];
    // Results sent as separate messages (OpenAI's tool role) join their siblings' turn.
    if (results.length > 0 && onlyFunctionResponses(previous)) previous.parts.push(...results, ...rest);
    else contents.push({ role: 'user', parts: [...results, ...rest] });
  }
  if (contents.length === 0) throw invalid('The conversation has no content Gemini can take: send at least one non-empty message.', 'messages');
  return contents;
}
