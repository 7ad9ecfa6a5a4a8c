// One image generation through the relay: native Gemini generateContent with
// the token key in `x-goog-api-key`, as Google's SDK sends it.
import { imageRequestBody, imageRequestPath, readImageAnswer, type ImageAnswer, type ImageRequestInput } from './gemini-request';
import { RelayError, relayErrorFrom } from './relay-error';

export interface GenerateOutcome {
  answer: ImageAnswer;
  /** The gateway's id for the call: finds its usage-log row. */
  requestId: string | null;
}

export async function generateImage(
  baseUrl: string,
  key: string,
  input: ImageRequestInput & { references: ReadonlyArray<{ mimeType: string; base64: string }> },
  signal: AbortSignal,
): Promise<GenerateOutcome> {
  let res: Response;
  try {
    res = await fetch(baseUrl + imageRequestPath(input.model), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
      body: JSON.stringify(imageRequestBody(input, (i) => input.references[i]!.base64)),
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new RelayError(0, (err as Error).message);
  }
  if (!res.ok) throw await relayErrorFrom(res);
  const json: unknown = await res.json();
  return { answer: readImageAnswer(json), requestId: res.headers.get('x-request-id') };
}
