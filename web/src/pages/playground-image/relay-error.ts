// A refused relay call in plain words: the status, the provider-shaped error
// body's message (Gemini, OpenAI or Anthropic), and a hint for the usual causes.
// Shared by both playgrounds.

export class RelayError extends Error {
  override readonly name = 'RelayError';
  constructor(
    readonly status: number,
    message: string,
    /** Google's `status` or OpenAI's `type` / `code`, when given. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The error inside a provider error body, whatever its dialect; undefined if it holds none. */
export function errorFromBody(body: unknown): { message: string; code?: string } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const err = (body as { error?: unknown }).error;
  if (typeof err === 'string') return { message: err };
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { message?: unknown; status?: unknown; type?: unknown; code?: unknown };
  const message = typeof e.message === 'string' && e.message ? e.message : JSON.stringify(err);
  const code = [e.status, e.type, e.code].find((v) => typeof v === 'string' && v) as string | undefined;
  return { message, code };
}

/** Reads a non-2xx relay answer into a RelayError. */
export async function relayErrorFrom(res: Response): Promise<RelayError> {
  const text = await res.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const found = errorFromBody(parsed);
  return new RelayError(res.status, found?.message ?? (text.slice(0, 300) || res.statusText || `HTTP ${res.status}`), found?.code);
}

/** Which plain-words hint (a `errors.*` key) fits a status. */
export function hintKey(status: number): string | undefined {
  if (status === 0) return 'errors.unreachable';
  if (status === 400) return 'errors.badRequest';
  if (status === 401) return 'errors.badKey';
  if (status === 402 || status === 403) return 'errors.forbidden';
  if (status === 404) return 'errors.noModel';
  if (status === 413) return 'errors.tooLarge';
  if (status === 429) return 'errors.rateLimited';
  if (status >= 500) return 'errors.upstream';
  return undefined;
}
