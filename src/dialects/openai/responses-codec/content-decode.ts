// Message content and function_call_output parts → canonical parts.
import type { Part } from '../../canonical/types.js';
import { badValue, invalid, objectAt, optString, stringAt, wrongType } from './json-read.js';
import { isHttpUrl, mimeFromName, parseDataUrl } from './media.js';

const contentTypes = ['input_text', 'input_image', 'input_file', 'output_text', 'refusal'] as const;

/** `content`: a string, or an array of typed parts. */
export function decodeContent(content: unknown, param: string): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw wrongType(param, 'a string or an array of content parts', content);
  return content.map((raw, i) => decodeContentPart(raw, `${param}[${i}]`));
}

export function decodeContentPart(raw: unknown, param: string): Part {
  const part = objectAt(raw, param);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: stringAt(part.text, `${param}.text`) };
    case 'refusal':
      return { type: 'text', text: stringAt(part.refusal, `${param}.refusal`) };
    case 'input_image':
      return decodeImage(part, param);
    case 'input_file':
      return decodeFile(part, param);
    default:
      throw badValue(`${param}.type`, part.type, contentTypes);
  }
}

function openAIFileRefused(param: string): never {
  throw invalid(param, `'${param}' refers to a file uploaded to OpenAI, which only works on OpenAI channels; send the data inline (a data URL) instead.`);
}

function decodeImage(part: Record<string, unknown>, param: string): Part {
  const url = optString(part.image_url, `${param}.image_url`);
  if (url === undefined) {
    if (optString(part.file_id, `${param}.file_id`) !== undefined) openAIFileRefused(`${param}.file_id`);
    throw invalid(`${param}.image_url`, `Missing required parameter: '${param}.image_url'.`);
  }
  const inline = parseDataUrl(url);
  if (inline) return { type: 'image', mimeType: inline.mimeType, data: inline.data };
  if (isHttpUrl(url)) return { type: 'image', mimeType: mimeFromName(url, 'image/jpeg'), url };
  throw invalid(`${param}.image_url`, `Invalid '${param}.image_url': expected a data URL or an http(s) URL.`);
}

function decodeFile(part: Record<string, unknown>, param: string): Part {
  const filename = optString(part.filename, `${param}.filename`);
  const named = filename === undefined ? {} : { filename };
  const fileData = optString(part.file_data, `${param}.file_data`);
  if (fileData !== undefined) {
    const inline = parseDataUrl(fileData);
    // The SDK docs show data URLs; bare base64 also reaches OpenAI, typed by the file name.
    if (inline) return { type: 'file', ...named, mimeType: inline.mimeType, data: inline.data };
    return { type: 'file', ...named, mimeType: mimeFromName(filename ?? '', 'application/pdf'), data: fileData };
  }
  const fileUrl = optString(part.file_url, `${param}.file_url`);
  if (fileUrl !== undefined) {
    if (!isHttpUrl(fileUrl)) throw invalid(`${param}.file_url`, `Invalid '${param}.file_url': expected an http(s) URL.`);
    return { type: 'file', ...named, mimeType: mimeFromName(filename ?? fileUrl, 'application/pdf'), url: fileUrl };
  }
  if (optString(part.file_id, `${param}.file_id`) !== undefined) openAIFileRefused(`${param}.file_id`);
  throw invalid(`${param}.file_data`, `Missing required parameter: '${param}.file_data'.`);
}
