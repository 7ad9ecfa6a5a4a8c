import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { anthropicCodec } from '../../../src/dialects/anthropic/codec/index.js';
import type { StreamEvent } from '../../../src/dialects/canonical/types.js';

const fixtures = join(import.meta.dirname, 'fixtures');

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as Record<string, unknown>;
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(fixtures, name));
}

/** Decodes a stream delivered in the given chunks; `created` is zeroed so runs compare equal. */
export function decodeChunks(chunks: Buffer[]): StreamEvent[] {
  const decoder = anthropicCodec.streamDecoder();
  const events = chunks.flatMap((c) => decoder.push(c));
  events.push(...decoder.end());
  return events.map((e) => (e.type === 'start' ? { ...e, created: 0 } : e));
}

/** Parses SSE text into `{event, data}` pairs (data JSON-parsed). */
export function sseEvents(text: string): { event: string | undefined; data: any }[] {
  return text
    .split('\n\n')
    .filter((f) => f.trim() !== '')
    .map((f) => {
      const lines = f.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) };
    });
}
