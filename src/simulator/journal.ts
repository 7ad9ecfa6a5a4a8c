// The last N requests the simulator received, so tests can prove what the
// upstream saw (or that it saw nothing). A bounded ring holding references:
// no copies on the request path; keys are redacted only when read.

import type { IncomingHttpHeaders } from 'node:http';

/** Bodies at or above this size are counted but not kept (unless the journal is given another limit). */
export const JOURNAL_BODY_LIMIT = 256 * 1024;

export interface JournalEntry {
  /** ISO time the request was received. */
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers; credentials keep only their last 4 characters. */
  headers: Record<string, string | string[]>;
  bodyBytes: number;
  /** The parsed JSON body, when it was JSON and under 256 KB; for multipart forms a summary (fields, files by name, type and size). */
  body?: unknown;
}

interface Slot {
  at: number;
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  body: unknown;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'proxy-authorization', 'cookie']);
const SECRET_QUERY = new Set(['key', 'api_key', 'api-key']);

/** `Bearer sk-abc…wxyz` → `Bearer ***wxyz`. */
export function redact(value: string): string {
  const space = value.indexOf(' ');
  const scheme = space > 0 && space < 16 ? value.slice(0, space + 1) : '';
  const secret = value.slice(scheme.length);
  return `${scheme}***${secret.length > 4 ? secret.slice(-4) : ''}`;
}

export class Journal {
  private readonly slots: (Slot | undefined)[];
  private next = 0;
  private count = 0;

  /** `bodyLimit`: keep parsed bodies below this many bytes (tests that check multi-megabyte images raise it). */
  constructor(
    readonly size = 200,
    readonly bodyLimit = JOURNAL_BODY_LIMIT,
  ) {
    this.slots = new Array<Slot | undefined>(Math.max(1, size));
  }

  /** `summary`: `body` is already a small summary (a multipart form's), kept whatever the body's size. */
  record(method: string, path: string, rawQuery: string, headers: IncomingHttpHeaders, bodyBytes: number, body: unknown, summary = false): void {
    this.slots[this.next] = {
      at: Date.now(),
      method,
      path,
      rawQuery,
      headers,
      bodyBytes,
      body: summary || bodyBytes < this.bodyLimit ? body : undefined,
    };
    this.next = (this.next + 1) % this.slots.length;
    this.count = Math.min(this.count + 1, this.slots.length);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  /** Entries oldest first, redacted. */
  list(): JournalEntry[] {
    const out: JournalEntry[] = [];
    const start = (this.next - this.count + this.slots.length) % this.slots.length;
    for (let i = 0; i < this.count; i++) {
      const slot = this.slots[(start + i) % this.slots.length];
      if (slot) out.push(present(slot));
    }
    return out;
  }
}

function present(slot: Slot): JournalEntry {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(slot.headers)) {
    if (value === undefined) continue;
    if (!SECRET_HEADERS.has(name)) headers[name] = value;
    else headers[name] = Array.isArray(value) ? value.map(redact) : redact(value);
  }
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(slot.rawQuery)) {
    query[name] = SECRET_QUERY.has(name) ? redact(value) : value;
  }
  const entry: JournalEntry = {
    at: new Date(slot.at).toISOString(),
    method: slot.method,
    path: slot.path,
    query,
    headers,
    bodyBytes: slot.bodyBytes,
  };
  if (slot.body !== undefined) entry.body = slot.body;
  return entry;
}
