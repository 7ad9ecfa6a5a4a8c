// Canonical media (inline base64 or a URL) → a Gemini part. The base64 string
// is passed by reference, never copied.
import type { MediaSource } from '../../canonical/types.js';
import { invalid, type Rec } from './wire.js';

const DATA_URL = /^data:([^;,]*)(?:;[^,]*)?;base64,/;

export function encodeMedia(media: MediaSource): Rec {
  if (media.data !== undefined) return { inlineData: { mimeType: media.mimeType, data: media.data } };
  const url = media.url;
  if (url === undefined || url === '') throw invalid('A media part has neither data nor a URL.');
  // A data: URL that slipped through another decoder is inline data in Gemini's terms.
  const dataUrl = url.startsWith('data:') ? DATA_URL.exec(url.slice(0, 256)) : null;
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1] || media.mimeType, data: url.slice(dataUrl[0].length) } };
  return { fileData: media.mimeType ? { mimeType: media.mimeType, fileUri: url } : { fileUri: url } };
}
