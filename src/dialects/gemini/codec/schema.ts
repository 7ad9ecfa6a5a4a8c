// Gemini's `Schema` (an OpenAPI 3.0 subset: uppercase types, `nullable`,
// int64 limits as strings) → plain JSON Schema, so tools and response schemas
// declared for Gemini work on OpenAI and Anthropic. `parametersJsonSchema` and
// `responseJsonSchema` are JSON Schema already and are never passed through here.
import { invalid, isRec, type Rec } from './wire.js';

const MAX_DEPTH = 64;
const INT64_KEYS = new Set(['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties']);
/** Gemini-only keywords with no JSON Schema meaning. */
const DROPPED = new Set(['propertyOrdering', 'property_ordering', 'nullable', 'example']);

const SNAKE_TO_CAMEL: Record<string, string> = {
  any_of: 'anyOf',
  min_items: 'minItems',
  max_items: 'maxItems',
  min_length: 'minLength',
  max_length: 'maxLength',
  min_properties: 'minProperties',
  max_properties: 'maxProperties',
};

function jsonType(t: unknown): unknown {
  if (typeof t !== 'string') return t;
  const lower = t.toLowerCase();
  return lower === 'type_unspecified' ? undefined : lower;
}

function convert(schema: unknown, path: string, depth: number): unknown {
  if (!isRec(schema)) return schema;
  if (depth > MAX_DEPTH) throw invalid(`Schema at '${path}' is nested too deeply.`, path);
  const out: Rec = {};
  for (const rawKey in schema) {
    const key = SNAKE_TO_CAMEL[rawKey] ?? rawKey;
    const value = schema[rawKey];
    if (DROPPED.has(rawKey) || value === undefined) continue;
    if (key === 'type') {
      const t = jsonType(value);
      if (t !== undefined) out.type = t;
    } else if (key === 'properties' && isRec(value)) {
      const props: Rec = {};
      for (const name in value) props[name] = convert(value[name], `${path}.properties.${name}`, depth + 1);
      out.properties = props;
    } else if (key === 'items') {
      out.items = convert(value, `${path}.items`, depth + 1);
    } else if (key === 'anyOf' && Array.isArray(value)) {
      out.anyOf = value.map((s, i) => convert(s, `${path}.anyOf[${i}]`, depth + 1));
    } else if (INT64_KEYS.has(key) && typeof value === 'string' && /^\d+$/.test(value)) {
      out[key] = Number(value);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

/** A Gemini `Schema` as JSON Schema (a new object; the input is not changed). */
export function geminiSchemaToJsonSchema(schema: Rec, path: string): Rec {
  return convert(schema, path, 0) as Rec;
}
