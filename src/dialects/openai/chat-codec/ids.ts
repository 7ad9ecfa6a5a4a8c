import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** `chatcmpl-…` like OpenAI's; an upstream id is kept, prefixed when it lacks the prefix. */
export function completionId(upstreamId?: string): string {
  if (upstreamId) return upstreamId.startsWith('chatcmpl-') ? upstreamId : `chatcmpl-${upstreamId}`;
  return `chatcmpl-${randomToken(29)}`;
}

export function toolCallId(): string {
  return `call_${randomToken(24)}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
