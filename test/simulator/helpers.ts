// Shared helpers for the simulator tests: raw HTTP calls and stream parsing.

import { PNG } from 'pngjs';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** POSTs a JSON body (or a raw string) and reads the whole answer. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return read(res);
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return read(await fetch(url, { headers }));
}

async function read(res: Response): Promise<RawResponse> {
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** `data:` payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((frame) => frame.split(/\r?\n/).filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'))
    .filter((d) => d !== '');
}

/** `event:` names of an SSE body, in order. */
export function sseEvents(text: string): string[] {
  return text
    .split(/\n\n/)
    .map((frame) => /^event: (.+)$/m.exec(frame)?.[1])
    .filter((e): e is string => e !== undefined);
}

/** Decodes a PNG fully and returns its real size. */
export function decodePng(data: Buffer | string): { width: number; height: number } {
  const png = PNG.sync.read(typeof data === 'string' ? Buffer.from(data, 'base64') : data);
  return { width: png.width, height: png.height };
}

/** A small real PNG of the given size, to use as an input image. */
export function makePng(width: number, height: number): string {
  const png = new PNG({ width, height });
  png.data.fill(200);
  return PNG.sync.write(png).toString('base64');
}
