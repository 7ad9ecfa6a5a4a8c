// `messages` → canonical system parts and turns. Tool results become
// `tool_result` parts in a user turn (consecutive tool messages share one turn),
// and assistant images (OpenRouter `images`, markdown data URLs in content, the
// gateway's own image links from `url` output) become
// image parts so a multi-turn image edit reaches the upstream with its picture.
import type { Message, Part } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { decodeAssistantContent, decodeImageUrlPart, decodeTextContent, decodeUserContent } from './content-decode.js';
import { toolCallId } from './ids.js';
import { splitMarkdownImages } from './markdown-images.js';
import { arrayAt, invalidType, invalidValue, missingParam, objectAt, stringAt, type Json } from './wire-guards.js';
import { signatureOf } from './thought-signature.js';

const roles = ['system', 'assistant', 'user', 'function', 'tool', 'developer'] as const;

export interface DecodedConversation {
  system: Part[];
  messages: Message[];
}

/** What earlier messages taught later ones: tool names by call id, legacy calls awaiting their result. */
interface History {
  callNames: Map<string, string>;
  legacyCalls: Map<string, string[]>;
  /** The user turn collecting the current run of tool results. */
  toolTurn: Message | undefined;
}

export function decodeMessages(raw: unknown): DecodedConversation {
  if (raw === undefined || raw === null) throw missingParam('messages');
  const list = arrayAt(raw, 'messages', 'an array of objects');
  if (list.length === 0) {
    throw new GatewayError('invalid_request', "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", {
      param: 'messages',
      code: 'empty_array',
    });
  }
  const out: DecodedConversation = { system: [], messages: [] };
  const history: History = { callNames: new Map(), legacyCalls: new Map(), toolTurn: undefined };
  list.forEach((item, i) => decodeMessage(objectAt(item, `messages[${i}]`), `messages[${i}]`, out, history));
  return out;
}

function decodeMessage(msg: Json, param: string, out: DecodedConversation, history: History): void {
  const role = msg.role;
  if (role === undefined || role === null) throw missingParam(`${param}.role`);
  switch (role) {
    case 'system':
    case 'developer':
      for (const part of decodeTextContent(required(msg.content, `${param}.content`), `${param}.content`)) {
        if (part.type !== 'text' || part.text !== '') out.system.push(part);
      }
      history.toolTurn = undefined;
      return;
    case 'user':
      out.messages.push({ role: 'user', parts: decodeUserContent(required(msg.content, `${param}.content`), `${param}.content`) });
      history.toolTurn = undefined;
      return;
    case 'assistant':
      out.messages.push({ role: 'assistant', parts: decodeAssistant(msg, param, history) });
      history.toolTurn = undefined;
      return;
    case 'tool': {
      const id = stringAt(required(msg.tool_call_id, `${param}.tool_call_id`), `${param}.tool_call_id`);
      const content = decodeUserContent(required(msg.content, `${param}.content`), `${param}.content`);
      addToolResult(out, history, { type: 'tool_result', toolCallId: id, ...named(history.callNames.get(id)), content });
      return;
    }
    case 'function': {
      const name = stringAt(required(msg.name, `${param}.name`), `${param}.name`);
      const content = msg.content === null ? [] : decodeUserContent(required(msg.content, `${param}.content`), `${param}.content`);
      const id = history.legacyCalls.get(name)?.shift() ?? toolCallId();
      addToolResult(out, history, { type: 'tool_result', toolCallId: id, name, content });
      return;
    }
    default:
      throw invalidValue(`${param}.role`, role, roles);
  }
}

function required(v: unknown, param: string): unknown {
  if (v === undefined || v === null) throw missingParam(param);
  return v;
}

function named(name: string | undefined): { name?: string } {
  return name === undefined ? {} : { name };
}

function addToolResult(out: DecodedConversation, history: History, part: Part): void {
  if (history.toolTurn) {
    history.toolTurn.parts.push(part);
    return;
  }
  history.toolTurn = { role: 'user', parts: [part] };
  out.messages.push(history.toolTurn);
}

function decodeAssistant(msg: Json, param: string, history: History): Part[] {
  const parts: Part[] = [];
  // DeepSeek sends reasoning_content, OpenRouter reasoning: the thought comes first.
  const reasoning = typeof msg.reasoning_content === 'string' && msg.reasoning_content ? msg.reasoning_content : msg.reasoning;
  if (typeof reasoning === 'string' && reasoning) parts.push({ type: 'thinking', text: reasoning });

  for (const part of decodeAssistantContent(msg.content, `${param}.content`)) {
    const pieces = part.type === 'text' ? splitMarkdownImages(part.text, { gatewayLinks: true }) : undefined;
    if (pieces) for (const piece of pieces) parts.push(piece);
    else parts.push(part);
  }
  addListedImages(msg.images, `${param}.images`, parts);
  addToolCalls(msg, param, history, parts);

  if (parts.length === 0) {
    if (msg.content === undefined || msg.content === null) throw missingParam(`${param}.content`);
    return [{ type: 'text', text: '' }];
  }
  // `content: ""` beside tool calls or images says nothing.
  return parts.length > 1 ? parts.filter((p) => p.type !== 'text' || p.text !== '') : parts;
}

/** OpenRouter's `images: [{type:'image_url', image_url:{url}}]`; ones already read from markdown are skipped. */
function addListedImages(raw: unknown, param: string, parts: Part[]): void {
  if (raw === undefined || raw === null) return;
  const list = arrayAt(raw, param, 'an array of objects');
  const seen = new Set<string>();
  // By data, or by URL for the gateway's own links (`url` output lists and writes the same link).
  for (const p of parts) if (p.type === 'image') seen.add(p.data ?? p.url ?? '');
  seen.delete('');
  list.forEach((item, i) => {
    const entry = objectAt(item, `${param}[${i}]`);
    const image = decodeImageUrlPart(entry.image_url, `${param}[${i}].image_url`);
    if (image.type === 'image' && seen.has(image.data ?? image.url ?? '')) return;
    parts.push(image);
  });
}

function addToolCalls(msg: Json, param: string, history: History, parts: Part[]): void {
  if (msg.tool_calls !== undefined && msg.tool_calls !== null) {
    arrayAt(msg.tool_calls, `${param}.tool_calls`, 'an array of objects').forEach((item, i) => {
      const p = `${param}.tool_calls[${i}]`;
      const call = objectAt(item, p);
      if (call.type !== undefined && call.type !== 'function') throw invalidValue(`${p}.type`, call.type, ['function']);
      const id = stringAt(required(call.id, `${p}.id`), `${p}.id`);
      const fn = objectAt(required(call.function, `${p}.function`), `${p}.function`);
      const name = stringAt(required(fn.name, `${p}.function.name`), `${p}.function.name`);
      history.callNames.set(id, name);
      const signature = signatureOf(call);
      parts.push({ type: 'tool_call', id, name, arguments: argumentsText(fn.arguments, `${p}.function.arguments`), ...(signature && { signature }) });
    });
  }
  if (msg.function_call !== undefined && msg.function_call !== null) {
    const p = `${param}.function_call`;
    const fn = objectAt(msg.function_call, p);
    const name = stringAt(required(fn.name, `${p}.name`), `${p}.name`);
    const id = toolCallId();
    const pending = history.legacyCalls.get(name);
    if (pending) pending.push(id);
    else history.legacyCalls.set(name, [id]);
    parts.push({ type: 'tool_call', id, name, arguments: argumentsText(fn.arguments, `${p}.arguments`) });
  }
}

/** Arguments are JSON text on the wire; an object (some clients) is serialised, absence is `{}`. */
function argumentsText(v: unknown, param: string): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '{}';
  if (typeof v === 'object' && !Array.isArray(v)) return JSON.stringify(v);
  throw invalidType(param, 'a string', v);
}
