// `data:` URLs, as OpenAI clients send images and files inline.

/**
 * `data:<mime>[;params][;base64],<payload>` → mime and base64; undefined when
 * it is not a data URL. `fallbackMime` is used when the header names none.
 */
export function parseDataUrl(url: string, fallbackMime: string): { mimeType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  // The header is short: never scan a 20 MB payload for the comma.
  const comma = url.indexOf(',', 5);
  if (comma < 0 || comma > 512) return undefined;
  const params = url.slice(5, comma).split(';');
  const mimeType = (params[0] ?? '').trim().toLowerCase() || fallbackMime;
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
