// data: URLs and MIME types. Payloads can be 20 MB of base64: parsing slices the
// string once (V8 keeps a view, not a copy) and never decodes or re-encodes it.
import type { MediaSource } from '../../canonical/types.js';
import { parseDataUrl as parseAnyDataUrl, toDataUrl } from '../../canonical/data-url.js';

/** A data URL's mime and base64; application/octet-stream when the header names no type. */
export function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  return parseAnyDataUrl(url, 'application/octet-stream');
}

/** The source as one URL: inline data as a data URL, else its URL. */
export function sourceUrl(source: MediaSource): string | undefined {
  if (source.data !== undefined) return toDataUrl(source.mimeType, source.data);
  return source.url;
}

const mimeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** A MIME type from a file name or URL path; `fallback` when the extension says nothing. */
export function mimeFromName(name: string, fallback: string): string {
  const path = name.split(/[?#]/, 1)[0] ?? '';
  const dot = path.lastIndexOf('.');
  if (dot < 0) return fallback;
  return mimeByExtension[path.slice(dot + 1).toLowerCase()] ?? fallback;
}

/** Image type from the first base64 characters (OpenAI's image results carry no MIME type). */
export function sniffImageMime(base64: string): string {
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('UklGR')) return 'image/webp';
  if (base64.startsWith('R0lGOD')) return 'image/gif';
  return 'image/png';
}

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}
