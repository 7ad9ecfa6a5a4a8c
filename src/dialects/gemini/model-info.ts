// What `GET /v1beta/models` says about a model we know from the image table:
// Google's display name and token limits. Other models keep the generic entry.
import { imageModelSpec } from './image-models.js';

export interface GeminiModelInfo {
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
}

export function geminiModelInfo(id: string): GeminiModelInfo | undefined {
  const spec = imageModelSpec(id);
  if (!spec) return undefined;
  return {
    displayName: spec.displayName,
    description: `${spec.displayName} (${spec.id}): image generation and editing, served by Waystation`,
    inputTokenLimit: spec.inputTokenLimit,
    outputTokenLimit: spec.outputTokenLimit,
  };
}
