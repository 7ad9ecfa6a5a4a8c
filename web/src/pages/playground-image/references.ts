// Reference images: files read into base64 for the request, each with a
// thumbnail URL (an object URL where the browser has them, else the data URL).

export interface ReferenceImage {
  id: string;
  name: string;
  mimeType: string;
  base64: string;
  previewUrl: string;
  /** Frees the thumbnail's object URL (nothing to free for a data URL). */
  release: () => void;
}

/** What Gemini takes as an input image (src/dialects/gemini/inspect-request.ts). */
export const ACCEPTED_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'] as const;

const BY_EXTENSION: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif' };

/** The file's image type (from the browser, else its extension); undefined when Gemini would refuse it. */
export function referenceType(file: Pick<File, 'name' | 'type'>): string | undefined {
  const type = file.type || BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || '';
  return (ACCEPTED_TYPES as readonly string[]).includes(type) ? type : undefined;
}

function readDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

let counter = 0;

export async function readReference(file: File, mimeType: string): Promise<ReferenceImage> {
  const dataUrl = await readDataUrl(file);
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  // jsdom (and some embedded browsers) have no object URLs: the data URL works as a thumbnail too.
  const objectUrl = typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : undefined;
  return {
    id: `ref-${++counter}`,
    name: file.name,
    mimeType,
    base64,
    previewUrl: objectUrl ?? `data:${mimeType};base64,${base64}`,
    release: () => {
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    },
  };
}

export interface AddPlan {
  accept: Array<{ file: File; mimeType: string }>;
  /** Not images Gemini takes. */
  wrongType: File[];
  /** Over the model's limit. */
  overLimit: File[];
}

/** Which of `files` fit beside `current` references when at most `max` are allowed. */
export function planAdd(current: number, files: readonly File[], max: number): AddPlan {
  const plan: AddPlan = { accept: [], wrongType: [], overLimit: [] };
  for (const file of files) {
    const mimeType = referenceType(file);
    if (!mimeType) plan.wrongType.push(file);
    else if (current + plan.accept.length >= max) plan.overLimit.push(file);
    else plan.accept.push({ file, mimeType });
  }
  return plan;
}
