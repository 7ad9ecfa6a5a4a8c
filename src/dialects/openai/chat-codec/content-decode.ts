// Message `content` (a string or an array of typed parts) → canonical parts.
import { GatewayError } from '../../errors.js';
import type { Part } from '../../canonical/types.js';
import { imageSourceFromUrl, mimeFromName, parseDataUrl } from './data-url.js';
import { invalidType, invalidValue, objectAt, optionalString, stringAt } from './wire-guards.js';

const userPartTypes = ['text', 'image_url', 'input_audio', 'file'] as const;
const textPartTypes = ['text'] as const;

const audioMimeByFormat: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', flac: 'audio/flac', ogg: 'audio/ogg', aac: 'audio/aac', webm: 'audio/webm' };

/** User (and tool result) content: text, images, audio and files. */
export function decodeUserContent(content: unknown, param: string): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidType(param, 'one of a string or array of objects', content);
  return content.map((raw, i) => decodeUserPart(raw, `${param}[${i}]`));
}

/** System, developer: text only, returned as text parts. */
export function decodeTextContent(content: unknown, param: string): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidType(param, 'one of a string or array of objects', content);
  return content.map((raw, i) => {
    const part = objectAt(raw, `${param}[${i}]`);
    if (part.type !== 'text') throw invalidValue(`${param}[${i}].type`, part.type, textPartTypes);
    return { type: 'text', text: stringAt(part.text, `${param}[${i}].text`) };
  });
}

function decodeUserPart(raw: unknown, param: string): Part {
  const part = objectAt(raw, param);
  switch (part.type) {
    case 'text':
      return { type: 'text', text: stringAt(part.text, `${param}.text`) };
    case 'image_url':
      return decodeImageUrlPart(part.image_url, `${param}.image_url`);
    case 'input_audio':
      return decodeAudioPart(part.input_audio, `${param}.input_audio`);
    case 'file':
      return decodeFilePart(part.file, `${param}.file`);
    default:
      throw invalidValue(`${param}.type`, part.type, userPartTypes);
  }
}

/** `image_url: {url, detail}`; a bare string is tolerated (some clients send it). */
export function decodeImageUrlPart(raw: unknown, param: string): Part {
  const url = typeof raw === 'string' ? raw : stringAt(objectAt(raw, param).url, `${param}.url`);
  const source = imageSourceFromUrl(url);
  if (!source) {
    throw new GatewayError('invalid_request', "Invalid 'image_url': expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,...') or an http(s) URL.", {
      param: typeof raw === 'string' ? param : `${param}.url`,
      code: 'invalid_image_url',
    });
  }
  return { type: 'image', ...source };
}

function decodeAudioPart(raw: unknown, param: string): Part {
  const audio = objectAt(raw, param);
  const data = stringAt(audio.data, `${param}.data`);
  const format = stringAt(audio.format, `${param}.format`);
  return { type: 'audio', mimeType: audioMimeByFormat[format] ?? `audio/${format}`, data };
}

/** `file: {file_data, filename}`; file_data is a data URL (raw base64 tolerated). */
function decodeFilePart(raw: unknown, param: string): Part {
  const file = objectAt(raw, param);
  const filename = optionalString(file.filename, `${param}.filename`);
  if (file.file_data === undefined || file.file_data === null) {
    // file_id points into OpenAI's file store, which no other upstream can read.
    const reason = file.file_id !== undefined ? 'file_id references are not supported by this gateway; send the content as file_data' : "Missing required parameter: 'file_data'.";
    throw new GatewayError('invalid_request', reason, { param: `${param}.file_data` });
  }
  const fileData = stringAt(file.file_data, `${param}.file_data`);
  const inline = fileData.startsWith('data:') ? parseDataUrl(fileData) : { mimeType: mimeFromName(filename ?? '', 'application/pdf'), data: fileData };
  if (!inline) throw new GatewayError('invalid_request', "Invalid 'file_data': expected a base64-encoded data URL.", { param: `${param}.file_data` });
  return filename === undefined ? { type: 'file', ...inline } : { type: 'file', filename, ...inline };
}

/** Assistant content parts: text and refusal (both read as text); images tolerated. */
export function decodeAssistantContent(content: unknown, param: string): Part[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidType(param, 'one of a string or array of objects', content);
  return content.map((raw, i) => {
    const p = `${param}[${i}]`;
    const part = objectAt(raw, p);
    if (part.type === 'text') return { type: 'text', text: stringAt(part.text, `${p}.text`) };
    if (part.type === 'refusal') return { type: 'text', text: stringAt(part.refusal, `${p}.refusal`) };
    if (part.type === 'image_url') return decodeImageUrlPart(part.image_url, `${p}.image_url`);
    throw invalidValue(`${p}.type`, part.type, ['text', 'refusal']);
  });
}
