// Deterministic fake content: replies, token counts, tool arguments and
// embeddings. The same input always gives the same output, so tests can
// compare answers across dialects and runs.

/** 32-bit FNV-1a hash. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Token estimate used everywhere in the simulator: about four characters a token. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const WORDS = (
  'the a signal harbor lantern quiet river station copper meadow orbit gentle northern ' +
  'paper window signal morning amber canyon thread silver engine garden pattern drift ' +
  'harvest island mirror tunnel velvet forest summit ember compass clockwork marble ' +
  'tide beacon harbor cedar prism echo'
).split(' ');

export interface FakeText {
  text: string;
  tokens: number;
  /** True when maxTokens cut the reply short. */
  truncated: boolean;
}

function excerpt(prompt: string, max: number): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * A reply to `prompt`: a lead that quotes the prompt, then seeded words,
 * 24–63 tokens in all (variant picks a different reply for the same prompt),
 * cut at maxTokens when given.
 */
export function fakeReply(prompt: string, variant = 0, maxTokens?: number): FakeText {
  const seed = hashString(prompt) ^ Math.imul(variant + 1, 0x9e3779b1);
  const rand = seededRandom(seed);
  const target = 24 + ((seed >>> 3) % 40);
  let text = prompt ? `Simulated reply to "${excerpt(prompt, 48)}".` : 'Simulated reply.';
  while (countTokens(text) < target) text += ` ${WORDS[Math.floor(rand() * WORDS.length)]}`;
  text += '.';
  return limit(text, maxTokens);
}

/** A short thinking passage (reasoning summary) about the prompt. */
export function fakeThought(prompt: string, tokens: number): string {
  const rand = seededRandom(hashString(prompt, 0x2545f491));
  let text = `Considering the request "${excerpt(prompt, 32)}".`;
  while (countTokens(text) < tokens) text += ` ${WORDS[Math.floor(rand() * WORDS.length)]}`;
  return text;
}

/** `count` seeded words, space-separated (transcripts and other filler). */
export function fakeWords(seed: number, count: number): string {
  const rand = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)] as string);
  return out.join(' ');
}

function limit(text: string, maxTokens: number | undefined): FakeText {
  if (maxTokens !== undefined && countTokens(text) > maxTokens) {
    const cut = text.slice(0, Math.max(0, maxTokens) * 4);
    return { text: cut, tokens: countTokens(cut), truncated: true };
  }
  return { text, tokens: countTokens(text), truncated: false };
}

/** Splits text into pieces of at least `size` characters, ending at spaces; joined they give the text back. */
export function chunkText(text: string, size: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const space = text.indexOf(' ', end);
    end = space === -1 || space - start > size * 3 ? Math.min(text.length, start + size) : space;
    if (end <= start) end = text.length;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** A value that fits a JSON schema (OpenAPI/Gemini upper-case types accepted). */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 6) return 'sample';
  const s = schema as Record<string, unknown>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.default !== undefined) return s.default;
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) return sampleFromSchema(options[0], depth + 1);
  }
  let type = s.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
  switch (typeof type === 'string' ? type.toLowerCase() : s.properties ? 'object' : 'string') {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      for (const [name, sub] of Object.entries(props)) out[name] = sampleFromSchema(sub, depth + 1);
      return out;
    }
    case 'array':
      return [sampleFromSchema(s.items, depth + 1)];
    case 'integer':
      return 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return s.format === 'date' ? '2025-01-01' : s.format === 'date-time' ? '2025-01-01T00:00:00Z' : 'sample';
  }
}

/** A unit-length embedding seeded by the text. */
export function fakeEmbedding(text: string, dimensions: number): Float32Array {
  const rand = seededRandom(hashString(text));
  const out = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const v = rand() * 2 - 1;
    out[i] = v;
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dimensions; i++) out[i] = (out[i] ?? 0) * scale;
  return out;
}

/** Opaque base64 text (thinking signatures), seeded so it is stable per input. */
export function fakeSignature(seed: string, bytes = 48): string {
  const rand = seededRandom(hashString(seed, 0x1b873593));
  const buf = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) buf[i] = Math.floor(rand() * 256);
  return buf.toString('base64');
}
