// data: URLs in and out. Payloads can be 20 MB of base64, so parsing slices the
// string once (V8 keeps a view, not a copy) and never re-encodes base64.
import type { MediaSource } from '../../canonical/types.js';
import { parseDataUrl as parseAnyDataUrl, toDataUrl } from '../../canonical/data-url.js';

export interface InlineData {
  mimeType: string;
  /** Base64, no prefix. */
  data: string;
}

/** A data URL's mime and base64; RFC 2397's text/plain when the header names no type. */
export function parseDataUrl(url: string): InlineData | undefined {
  return parseAnyDataUrl(url, 'text/plain');
}

export { toDataUrl };

/** A source as one URL: inline data as a data URL, else its URL. */
export function sourceUrl(source: MediaSource, preferUrl = false): string | undefined {
  if (source.url !== undefined && (preferUrl || source.data === undefined)) return source.url;
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
  avif: 'image/avif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  json: 'application/json',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/** MIME type from a URL's or file name's extension (query and fragment ignored), else the fallback. */
export function mimeFromName(name: string, fallback: string): string {
  const end = name.search(/[?#]/);
  const path = end < 0 ? name : name.slice(0, end);
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return fallback;
  return mimeByExtension[path.slice(dot + 1).toLowerCase()] ?? fallback;
}

/** A wire image URL (data: or http(s)/other) → a canonical media source, or undefined for a broken data URL. */
export function imageSourceFromUrl(url: string): MediaSource | undefined {
  if (url.startsWith('data:')) return parseDataUrl(url);
  return { url, mimeType: mimeFromName(url, 'image/*') };
}
