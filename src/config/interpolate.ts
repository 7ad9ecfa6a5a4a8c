// `${VAR}` and `${VAR:-default}` in the config's scalar values (not in keys or
// comments). Done on the YAML tree, before conversion, so an unquoted
// `balance_usd: ${BALANCE}` still becomes a number and every error names the
// path of the value it sits in. `$${` writes a literal `${`.
import { isMap, isScalar, isSeq, Scalar, type Document } from 'yaml';
import { describeValue, formatPath } from './zod-messages.js';

type Env = Readonly<Record<string, string | undefined>>;

export type Interpolated = { value: string } | { errors: string[] };

/** Interpolates one string; errors are messages without a path. */
export function interpolateString(s: string, env: Env): Interpolated {
  const errors: string[] = [];
  let out = '';
  let i = 0;
  while (i < s.length) {
    const dollar = s.indexOf('$', i);
    if (dollar === -1) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, dollar);
    if (s.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (s[dollar + 1] !== '{') {
      out += '$';
      i = dollar + 1;
      continue;
    }
    const end = s.indexOf('}', dollar + 2);
    if (end === -1) {
      errors.push(`unclosed "\${" in ${describeValue(s)}`);
      break;
    }
    const expr = s.slice(dollar + 2, end);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/.exec(expr);
    if (!m) {
      errors.push(`bad reference "\${${expr}}"; expected \${NAME} or \${NAME:-default}`);
    } else {
      const [, name, fallback] = m as unknown as [string, string, string | undefined];
      const value = env[name];
      if (fallback !== undefined) out += value === undefined || value === '' ? fallback : value;
      else if (value === undefined) errors.push(`environment variable ${name} is not set`);
      else out += value;
    }
    i = end + 1;
  }
  return errors.length ? { errors } : { value: out };
}

/** Interpolates every string scalar of the document in place; returns `path: problem` lines. */
export function interpolateDocument(doc: Document, env: Env): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, path: PropertyKey[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        walk(pair.value, [...path, String(key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const result = interpolateString(node.value, env);
      if ('errors' in result) {
        for (const e of result.errors) problems.push(`${formatPath(path)}: ${e}`);
      } else if (result.value !== node.value) {
        node.value = node.type === Scalar.PLAIN ? retype(result.value) : result.value;
      }
    }
    // Aliases are skipped: they resolve to their anchor, which is visited where it stands.
  };
  walk(doc.contents, []);
  return problems;
}

/** What an unquoted YAML scalar with this text would have been: number, boolean or string. */
function retype(text: string): string | number | boolean {
  const t = text.trim();
  if (/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^(?:true|True|TRUE)$/.test(t)) return true;
  if (/^(?:false|False|FALSE)$/.test(t)) return false;
  return text;
}
