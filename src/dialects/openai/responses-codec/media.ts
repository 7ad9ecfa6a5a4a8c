// data: URLs and MIME types. Payloads can be 20 MB of base64: parsing slices the
// string once (V8 keeps a view, not a copy) and never decodes or re-encodes it.
import type { MediaSource } from '../../canonical/types.js';

/** `data:<mime>[;…][;base64],<payload>` → mime and base64; undefined when it is not a data URL. */
export function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  // The header is short: never scan a 20 MB payload for the comma.
  const comma = url.indexOf(',', 5);
  if (comma < 0 || comma > 512) return undefined;
  const params = url.slice(5, comma).split(';');
  const mimeType = (params[0] ?? '').trim().toLowerCase() || 'application/octet-stream';
  const payload = url.slice(comma + 1);
  if (params.some((p) => p.trim().toLowerCase() === 'base64')) return { mimeType, data: payload };
  // Percent-encoded payloads (an SVG, a text file) are small: re-encode them.
  try {
    return { mimeType, data: Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64') };
  } catch {
    return undefined;
  }
}

export function toDataUrl(mimeType: string, base64: string): string {
  return `data:${mimeType};base64,${base64}`;
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
