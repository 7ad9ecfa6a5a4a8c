// `input` → canonical turns. Items arrive flat (messages, function calls, their
// outputs, reasoning); the hub wants turns, so consecutive items of one role
// join a turn: reasoning + calls → one assistant turn, outputs → one user turn.
import type { Message, Part, Role } from '../../canonical/types.js';
import { decodeContent, decodeContentPart } from './content-decode.js';
import { badValue, invalid, objectAt, optArray, optString, stringAt, wrongType, type JsonObject } from './json-read.js';

const roles = ['user', 'assistant', 'system', 'developer'] as const;

class Turns {
  readonly messages: Message[] = [];

  add(role: Role, parts: Part[]): void {
    if (parts.length === 0) return;
    const last = this.messages[this.messages.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else this.messages.push({ role, parts });
  }
}

/** Decodes `input`; system and developer messages are appended to `system`. */
export function decodeInput(input: unknown, system: Part[]): Message[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw wrongType('input', 'a string or an array of input items', input);
  const turns = new Turns();
  // function_call_output names no function; Gemini needs the name, so remember it from the call.
  const callNames = new Map<string, string>();
  for (let i = 0; i < input.length; i++) decodeItem(objectAt(input[i], `input[${i}]`), `input[${i}]`, turns, system, callNames);
  return turns.messages;
}

function decodeItem(item: JsonObject, param: string, turns: Turns, system: Part[], callNames: Map<string, string>): void {
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
  switch (type) {
    case 'message':
      return decodeMessage(item, param, turns, system);
    case 'function_call': {
      const id = stringAt(item.call_id, `${param}.call_id`);
      const name = stringAt(item.name, `${param}.name`);
      callNames.set(id, name);
      turns.add('assistant', [{ type: 'tool_call', id, name, arguments: stringAt(item.arguments, `${param}.arguments`) }]);
      return;
    }
    case 'function_call_output': {
      const toolCallId = stringAt(item.call_id, `${param}.call_id`);
      const content = decodeOutput(item.output, `${param}.output`);
      const name = callNames.get(toolCallId);
      turns.add('user', [{ type: 'tool_result', toolCallId, ...(name !== undefined && { name }), content }]);
      return;
    }
    case 'reasoning':
      return decodeReasoning(item, param, turns);
    case 'item_reference':
      throw invalid(param, `'${param}' is an item_reference, which needs an OpenAI channel (the items are stored there); send the items themselves instead.`);
    case undefined:
      throw invalid(`${param}.type`, `Missing required parameter: '${param}.type'.`);
    default:
      if (typeof type !== 'string') throw wrongType(`${param}.type`, 'a string', type);
      throw invalid(`${param}.type`, `'${param}' is a ${type} item, which only works on OpenAI channels; this model is served by another provider.`);
  }
}

function decodeMessage(item: JsonObject, param: string, turns: Turns, system: Part[]): void {
  const role = item.role;
  if (role === undefined || role === null) throw invalid(`${param}.role`, `Missing required parameter: '${param}.role'.`);
  if (!(roles as readonly unknown[]).includes(role)) throw badValue(`${param}.role`, role, roles);
  const parts = decodeContent(item.content, `${param}.content`);
  if (role === 'system' || role === 'developer') system.push(...parts);
  else turns.add(role as Role, parts);
}

/** A function's output: a string, or input_text / input_image / input_file parts. */
function decodeOutput(output: unknown, param: string): Part[] {
  if (typeof output === 'string') return [{ type: 'text', text: output }];
  if (!Array.isArray(output)) throw wrongType(param, 'a string or an array of content parts', output);
  return output.map((raw, i) => decodeContentPart(raw, `${param}[${i}]`));
}

/** Reasoning: the summaries are the visible text, encrypted_content the signature that lets it round-trip. */
function decodeReasoning(item: JsonObject, param: string, turns: Turns): void {
  const texts: string[] = [];
  const summary = optArray(item.summary, `${param}.summary`) ?? [];
  summary.forEach((s, i) => texts.push(stringAt(objectAt(s, `${param}.summary[${i}]`).text, `${param}.summary[${i}].text`)));
  if (texts.length === 0) {
    // Open-weight models served behind the Responses API send raw reasoning_text content instead.
    const content = optArray(item.content, `${param}.content`) ?? [];
    content.forEach((c, i) => texts.push(stringAt(objectAt(c, `${param}.content[${i}]`).text, `${param}.content[${i}].text`)));
  }
  const signature = optString(item.encrypted_content, `${param}.encrypted_content`);
  const text = texts.join('\n\n');
  // Without text or encrypted content the item only names a stored OpenAI item: nothing to carry.
  if (text === '' && signature === undefined) return;
  turns.add('assistant', [{ type: 'thinking', text, ...(signature !== undefined && { signature }) }]);
}
