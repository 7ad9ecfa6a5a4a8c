// Small readers for proto3 JSON as Gemini clients send it: any field may be
// spelled in camelCase or snake_case, and any value may be of the wrong type.
// Every reader either returns a well-typed value or throws a GatewayError
// naming the field, so decoders never crash on odd input.
import { GatewayError, kindForStatus } from '../../errors.js';

export type Rec = Record<string, unknown>;

export function isRec(v: unknown): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A field proto3 JSON may spell either way; camelCase wins when both are present. */
export function field(obj: Rec, camel: string, snake: string): unknown {
  const v = obj[camel];
  return v !== undefined && v !== null ? v : obj[snake] ?? undefined;
}

export function invalid(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, param === undefined ? {} : { param });
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Reads `obj[camel|snake]` with a type check; undefined when absent. */
export class FieldReader {
  constructor(
    private readonly obj: Rec,
    /** Where `obj` sits in the request, for messages ("generationConfig"). */
    private readonly path: string,
  ) {}

  private at(camel: string): string {
    return this.path ? `${this.path}.${camel}` : camel;
  }

  private wrong(camel: string, want: string, got: unknown): GatewayError {
    return invalid(`Invalid value at '${this.at(camel)}': expected ${want}, got ${typeName(got)}.`, this.at(camel));
  }

  raw(camel: string, snake: string): unknown {
    return field(this.obj, camel, snake);
  }

  number(camel: string, snake: string): number | undefined {
    const v = field(this.obj, camel, snake);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.wrong(camel, 'a number', v);
    return v;
  }

  integer(camel: string, snake: string): number | undefined {
    const v = this.number(camel, snake);
    if (v !== undefined && !Number.isInteger(v)) throw invalid(`Invalid value at '${this.at(camel)}': expected an integer, got ${v}.`, this.at(camel));
    return v;
  }

  string(camel: string, snake: string): string | undefined {
    const v = field(this.obj, camel, snake);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw this.wrong(camel, 'a string', v);
    return v;
  }

  boolean(camel: string, snake: string): boolean | undefined {
    const v = field(this.obj, camel, snake);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw this.wrong(camel, 'true or false', v);
    return v;
  }

  object(camel: string, snake: string): Rec | undefined {
    const v = field(this.obj, camel, snake);
    if (v === undefined) return undefined;
    if (!isRec(v)) throw this.wrong(camel, 'an object', v);
    return v;
  }

  array(camel: string, snake: string): unknown[] | undefined {
    const v = field(this.obj, camel, snake);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw this.wrong(camel, 'a list', v);
    return v;
  }

  strings(camel: string, snake: string): string[] | undefined {
    const list = this.array(camel, snake);
    if (list === undefined) return undefined;
    for (const s of list) if (typeof s !== 'string') throw this.wrong(camel, 'a list of strings', list);
    return list as string[];
  }

  reader(camel: string, snake: string): FieldReader | undefined {
    const o = this.object(camel, snake);
    return o === undefined ? undefined : new FieldReader(o, this.at(camel));
  }
}

/** JSON text → object; anything but a JSON object becomes {}. Used for tool arguments. */
export function parseObject(text: string): Rec {
  if (text === '') return {};
  try {
    const v: unknown = JSON.parse(text);
    return isRec(v) ? v : {};
  } catch {
    return {};
  }
}

/** JSON text → the object it holds, or undefined when it is not a JSON object. */
export function parseObjectOrUndefined(text: string): Rec | undefined {
  const t = text.trimStart();
  if (t.charCodeAt(0) !== 123) return undefined; // '{'
  try {
    const v: unknown = JSON.parse(t);
    return isRec(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A media part of the hub by its MIME type. */
export function mediaKind(mimeType: string): 'image' | 'audio' | 'file' {
  const lower = mimeType.toLowerCase();
  if (lower.startsWith('image/')) return 'image';
  if (lower.startsWith('audio/')) return 'audio';
  return 'file';
}

/** Google's `{"error":{code,message,status}}` as an upstream GatewayError. */
export function upstreamErrorOf(error: Rec): GatewayError {
  const code = typeof error.code === 'number' && error.code >= 400 && error.code < 600 ? error.code : 502;
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : `Gemini answered with an error (${String(error.status ?? code)}).`;
  return new GatewayError(kindForStatus(code), message, { status: code });
}

export function badUpstream(message: string): GatewayError {
  return new GatewayError('upstream', message);
}
