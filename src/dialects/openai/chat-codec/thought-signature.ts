// Gemini 3 signs its function calls; the next turn must send each signature
// back. Chat completions have no field for it, so this carries it where
// Google's own OpenAI-compatible endpoint does:
// `tool_calls[i].extra_content.google.thought_signature`.

type Json = Record<string, unknown>;

/** The extra field for a tool call with a signature (spread into the call object). */
export function signatureExtra(signature: string | undefined): { extra_content?: { google: { thought_signature: string } } } {
  return signature ? { extra_content: { google: { thought_signature: signature } } } : {};
}

/** A tool call's signature, when the client (or upstream) sent one back. */
export function signatureOf(call: unknown): string | undefined {
  if (call === null || typeof call !== 'object') return undefined;
  const extra = (call as Json).extra_content;
  const google = extra !== null && typeof extra === 'object' ? (extra as Json).google : undefined;
  const sig = google !== null && typeof google === 'object' ? (google as Json).thought_signature : undefined;
  return typeof sig === 'string' && sig !== '' ? sig : undefined;
}
