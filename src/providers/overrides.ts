// A channel's operator overrides, applied to every upstream request it sends:
// `param_override` sets (or, with null, removes) fields of the JSON body — dot
// paths reach nested ones (`generationConfig.temperature`) — and
// `header_override` sets headers (an empty value removes one; `{api_key}`
// stands for the channel key in use). `status_code_mapping` renames an
// upstream status before routing and the client see it (`{"404": 500}`).

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Path segments that would reach Object.prototype: never followed. */
const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

export function paramOverride(settings: Rec): Rec | undefined {
  const v = settings.param_override;
  return isRec(v) && Object.keys(v).length > 0 ? v : undefined;
}

/** A copy of `body` with the overrides applied (the client's object is never changed). */
export function applyParamOverride(body: Rec, override: Rec): Rec {
  const out: Rec = { ...body };
  for (const [path, value] of Object.entries(override)) {
    const keys = path.split('.');
    if (keys.some((k) => k === '' || UNSAFE.has(k))) continue;
    let target = out;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      // Copy each object on the way down so shared sub-objects stay untouched.
      const copy: Rec = isRec(next) ? { ...next } : {};
      target[key] = copy;
      target = copy;
    }
    const last = keys[keys.length - 1]!;
    if (value === null) delete target[last];
    else target[last] = value;
  }
  return out;
}

export function headerOverride(settings: Rec): Record<string, string> | undefined {
  const v = settings.header_override;
  if (!isRec(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k.toLowerCase()] = val;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Sets or removes headers in place; names are matched case-insensitively. */
export function applyHeaderOverride(headers: Record<string, string>, override: Record<string, string>, apiKey: string): void {
  for (const existing of Object.keys(headers)) {
    const lower = existing.toLowerCase();
    if (lower in override && existing !== lower) delete headers[existing];
  }
  for (const [name, value] of Object.entries(override)) {
    if (value === '') delete headers[name];
    else headers[name] = value.replaceAll('{api_key}', apiKey);
  }
}

/** The status routing and the client should see for an upstream status. */
export function mappedStatus(settings: Rec, status: number): number {
  const mapping = settings.status_code_mapping;
  if (!isRec(mapping)) return status;
  const to = Number(mapping[String(status)]);
  return Number.isInteger(to) && to >= 100 && to <= 599 ? to : status;
}
