// A client's `contents` and `systemInstruction` → canonical messages. Gemini
// calls carry no id (or an optional one): calls get stable ids from their
// position, and each functionResponse is linked to the earliest unanswered
// call of the same name.
import type { Message, Part } from '../../canonical/types.js';
import { requestCallId } from './ids.js';
import { FieldReader, invalid, isRec, mediaKind, type Rec } from './wire.js';

/** Calls made so far and not yet answered, by function name, oldest first. */
class OpenCalls {
  private readonly byName = new Map<string, string[]>();

  add(name: string, id: string): void {
    const queue = this.byName.get(name);
    if (queue) queue.push(id);
    else this.byName.set(name, [id]);
  }

  /** The call a response answers: its own id when it has one, else the oldest open call of that name. */
  answer(name: string, id: string | undefined): string | undefined {
    const queue = this.byName.get(name);
    if (id !== undefined) {
      const at = queue ? queue.indexOf(id) : -1;
      if (at >= 0) queue!.splice(at, 1);
      return id;
    }
    return queue?.shift();
  }
}

interface TurnState {
  turn: number;
  role: 'user' | 'model';
  calls: number;
  results: number;
  open: OpenCalls;
}

/** Parts of server-side Google tools: meaningless to other providers, dropped. */
const GOOGLE_ONLY_PARTS = ['executableCode', 'executable_code', 'codeExecutionResult', 'code_execution_result', 'toolCall', 'tool_call', 'toolResponse', 'tool_response'];

function signatureOf(r: FieldReader): string | undefined {
  const sig = r.string('thoughtSignature', 'thought_signature');
  return sig === '' ? undefined : sig;
}

function inlinePart(inline: FieldReader, where: string, thought: boolean, signature: string | undefined): Part {
  const data = inline.string('data', 'data');
  const mimeType = inline.string('mimeType', 'mime_type');
  if (data === undefined) throw invalid(`${where}.inlineData.data is required (base64).`, `${where}.inlineData.data`);
  if (mimeType === undefined || mimeType === '') throw invalid(`${where}.inlineData.mimeType is required.`, `${where}.inlineData.mimeType`);
  const kind = mediaKind(mimeType);
  if (kind === 'image') {
    const image: Part = { type: 'image', mimeType, data };
    if (thought) image.thought = true;
    if (signature) image.signature = signature;
    return image;
  }
  return { type: kind, mimeType, data };
}

function filePart(file: FieldReader, where: string, signature: string | undefined): Part {
  const url = file.string('fileUri', 'file_uri');
  if (url === undefined || url === '') throw invalid(`${where}.fileData.fileUri is required.`, `${where}.fileData.fileUri`);
  // YouTube links and some file URIs come without a type: '' says "unknown".
  const mimeType = file.string('mimeType', 'mime_type') ?? '';
  const kind = mediaKind(mimeType);
  if (kind === 'image') return signature ? { type: 'image', mimeType, url, signature } : { type: 'image', mimeType, url };
  return { type: kind, mimeType, url };
}

/** A functionResponse's `response` object as tool-result content. */
function resultContent(response: Rec): { content: Part[]; isError: boolean } {
  const keys = Object.keys(response);
  if (keys.length === 1) {
    const key = keys[0]!;
    const value = response[key];
    if (key === 'error') return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }], isError: true };
    if ((key === 'result' || key === 'output' || key === 'content') && typeof value === 'string') return { content: [{ type: 'text', text: value }], isError: false };
  }
  return { content: [{ type: 'text', text: JSON.stringify(response) }], isError: false };
}

/** The multimodal `parts` of a functionResponse (images, documents). */
function resultMedia(parts: unknown[], where: string): Part[] {
  const out: Part[] = [];
  parts.forEach((raw, k) => {
    const at = `${where}.parts[${k}]`;
    if (!isRec(raw)) throw invalid(`${at} must be an object.`, at);
    const r = new FieldReader(raw, at);
    const inline = r.reader('inlineData', 'inline_data');
    const file = r.reader('fileData', 'file_data');
    if (inline) out.push(inlinePart(inline, at, false, undefined));
    else if (file) out.push(filePart(file, at, undefined));
  });
  return out;
}

function callPart(call: FieldReader, where: string, state: TurnState, signature: string | undefined): Part {
  if (state.role !== 'model') throw invalid(`${where}.functionCall: function calls belong in a model turn.`, `${where}.functionCall`);
  const name = call.string('name', 'name');
  if (!name) throw invalid(`${where}.functionCall.name is required.`, `${where}.functionCall.name`);
  const args = call.object('args', 'args') ?? {};
  const id = call.string('id', 'id') || requestCallId(state.turn, state.calls);
  state.calls++;
  state.open.add(name, id);
  const part: Part = { type: 'tool_call', id, name, arguments: JSON.stringify(args) };
  if (signature) part.signature = signature;
  return part;
}

function responsePart(response: FieldReader, where: string, state: TurnState): Part {
  const at = `${where}.functionResponse`;
  if (state.role !== 'user') throw invalid(`${at}: function responses belong in a user (or function) turn.`, at);
  const name = response.string('name', 'name');
  if (!name) throw invalid(`${at}.name is required.`, `${at}.name`);
  const body = response.object('response', 'response') ?? {};
  const id = response.string('id', 'id') || undefined;
  const toolCallId = state.open.answer(name, id) ?? requestCallId(state.turn, state.results);
  state.results++;
  const { content, isError } = resultContent(body);
  const media = response.array('parts', 'parts');
  if (media) content.push(...resultMedia(media, at));
  const part: Part = { type: 'tool_result', toolCallId, name, content };
  if (isError) part.isError = true;
  return part;
}

/** One part; undefined for Google-only parts the hub cannot carry. */
function decodePart(raw: unknown, where: string, state: TurnState): Part | undefined {
  if (!isRec(raw)) throw invalid(`${where} must be an object (a part).`, where);
  const r = new FieldReader(raw, where);
  const signature = signatureOf(r);
  const thought = r.boolean('thought', 'thought') === true;
  const text = r.string('text', 'text');
  if (text !== undefined) {
    if (thought) return signature ? { type: 'thinking', text, signature } : { type: 'thinking', text };
    return signature ? { type: 'text', text, signature } : { type: 'text', text };
  }
  const inline = r.reader('inlineData', 'inline_data');
  if (inline) return inlinePart(inline, where, thought, signature);
  const file = r.reader('fileData', 'file_data');
  if (file) return filePart(file, where, signature);
  const call = r.reader('functionCall', 'function_call');
  if (call) return callPart(call, where, state, signature);
  const response = r.reader('functionResponse', 'function_response');
  if (response) return responsePart(response, where, state);
  if (GOOGLE_ONLY_PARTS.some((k) => raw[k] !== undefined && raw[k] !== null)) return undefined;
  // A bare signature (some clients echo one on its own) still belongs to the model's reasoning.
  if (signature) return { type: 'thinking', text: '', signature };
  throw invalid(`${where} has no text, inlineData, fileData, functionCall or functionResponse.`, where);
}

function decodeRole(raw: unknown, where: string): 'user' | 'model' {
  if (raw === undefined || raw === null || raw === '') return 'user';
  if (typeof raw === 'string') {
    const role = raw.toLowerCase();
    if (role === 'user' || role === 'function') return 'user';
    if (role === 'model') return 'model';
  }
  throw invalid(`Please use a valid role: user, model (got ${JSON.stringify(raw)} at ${where}.role).`, `${where}.role`);
}

export function decodeContents(contents: unknown): Message[] {
  if (contents === undefined || contents === null) throw invalid('contents is required: a non-empty list of {role, parts}.', 'contents');
  if (!Array.isArray(contents)) throw invalid('contents must be a list of {role, parts} objects.', 'contents');
  if (contents.length === 0) throw invalid('contents must not be empty.', 'contents');
  const open = new OpenCalls();
  const messages: Message[] = [];
  for (let i = 0; i < contents.length; i++) {
    const where = `contents[${i}]`;
    const content = contents[i];
    if (!isRec(content)) throw invalid(`${where} must be an object with role and parts.`, where);
    const role = decodeRole(content.role, where);
    const parts = content.parts;
    if (!Array.isArray(parts)) throw invalid(`${where}.parts must be a list of parts.`, `${where}.parts`);
    if (parts.length === 0) throw invalid(`${where}.parts must not be empty.`, `${where}.parts`);
    const state: TurnState = { turn: i, role, calls: 0, results: 0, open };
    const out: Part[] = [];
    for (let j = 0; j < parts.length; j++) {
      const part = decodePart(parts[j], `${where}.parts[${j}]`, state);
      if (part) out.push(part);
    }
    if (out.length > 0) messages.push({ role: role === 'model' ? 'assistant' : 'user', parts: out });
  }
  return messages;
}

/** `systemInstruction`: a Content, a bare list of parts, or a string. */
export function decodeSystemInstruction(raw: unknown): Part[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return raw === '' ? [] : [{ type: 'text', text: raw }];
  const parts = Array.isArray(raw) ? raw : isRec(raw) ? raw.parts : undefined;
  if (!Array.isArray(parts)) throw invalid('systemInstruction must be a Content ({parts:[{text}]}) or a string.', 'systemInstruction');
  const state: TurnState = { turn: -1, role: 'user', calls: 0, results: 0, open: new OpenCalls() };
  const out: Part[] = [];
  for (let j = 0; j < parts.length; j++) {
    const where = `systemInstruction.parts[${j}]`;
    const part = decodePart(parts[j], where, state);
    if (part?.type === 'tool_result') throw invalid(`${where}: a system instruction cannot hold a function response.`, where);
    if (part && part.type !== 'thinking') out.push(part);
  }
  return out;
}
