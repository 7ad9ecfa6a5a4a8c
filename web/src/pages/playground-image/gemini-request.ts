// The native Gemini request the image playground sends, and what it reads
// back. The code snippets (snippets.ts) build their bodies with the same
// function, so "copy as code" is the very request the page made.

export interface ImageRequestInput {
  model: string;
  prompt: string;
  /** Omitted: Google follows the first reference image's shape, else 1:1. */
  aspectRatio?: string;
  /** Omitted: the model's default size class (and the only choice on 2.5 Flash Image). */
  imageSize?: string;
  references: ReadonlyArray<{ mimeType: string }>;
}

export function imageRequestPath(model: string): string {
  return `/v1beta/models/${encodeURIComponent(model)}:generateContent`;
}

/** The request body; `data(i)` gives the base64 of reference i (the real bytes, or a placeholder). */
export function imageRequestBody(input: ImageRequestInput, data: (index: number) => string): Record<string, unknown> {
  const imageConfig: Record<string, string> = {};
  if (input.aspectRatio) imageConfig.aspectRatio = input.aspectRatio;
  if (input.imageSize) imageConfig.imageSize = input.imageSize;
  return {
    contents: [
      {
        role: 'user',
        parts: [{ text: input.prompt }, ...input.references.map((r, i) => ({ inline_data: { mime_type: r.mimeType, data: data(i) } }))],
      },
    ],
    generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig },
  };
}

export interface GeneratedImage {
  mimeType: string;
  base64: string;
}

export interface ImageAnswer {
  images: GeneratedImage[];
  /** Draft images the model made while thinking (not billed, not shown). */
  thoughtImages: number;
  texts: string[];
  finishReason?: string;
  /** Why the prompt was refused before any generation. */
  blockReason?: string;
}

interface Part {
  text?: string;
  thought?: boolean;
  inlineData?: { mimeType?: string; data?: string };
  inline_data?: { mime_type?: string; data?: string };
}

/** Reads a generateContent answer (camelCase, as Google answers; snake_case tolerated). */
export function readImageAnswer(json: unknown): ImageAnswer {
  const body = (json ?? {}) as {
    candidates?: Array<{ content?: { parts?: Part[] }; finishReason?: string }>;
    promptFeedback?: { blockReason?: string };
  };
  const out: ImageAnswer = { images: [], thoughtImages: 0, texts: [] };
  const candidate = body.candidates?.[0];
  out.finishReason = candidate?.finishReason;
  out.blockReason = body.promptFeedback?.blockReason;
  for (const part of candidate?.content?.parts ?? []) {
    const inline = part.inlineData ?? (part.inline_data && { mimeType: part.inline_data.mime_type, data: part.inline_data.data });
    if (inline?.data && (inline.mimeType ?? '').startsWith('image/')) {
      if (part.thought) out.thoughtImages++;
      else out.images.push({ mimeType: inline.mimeType!, base64: inline.data });
    } else if (typeof part.text === 'string' && !part.thought && part.text.trim()) {
      out.texts.push(part.text);
    }
  }
  return out;
}
