// A URL carries no media type, but canonical media needs one (Gemini's
// fileData does); guess it from the extension.
const byExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

export function mediaTypeFromUrl(url: string, fallback: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return fallback;
  return byExtension[path.slice(dot + 1).toLowerCase()] ?? fallback;
}

/** `data:<type>;base64,<data>` → its parts; undefined for anything else. */
export function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  const header = comma < 0 ? '' : url.slice(5, comma);
  if (!header.endsWith(';base64')) return undefined;
  return { mimeType: header.slice(0, -7) || 'application/octet-stream', data: url.slice(comma + 1) };
}
