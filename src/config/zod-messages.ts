// Zod issues → operator-facing lines such as
//   channels[2].type: unknown type "foo"; expected one of gemini, openai, …
//   tokens[0].quota_usd: must not be negative
// The error map below writes the wording at parse time (it sees the input);
// formatIssues adds the path in the file's own spelling.
import type * as z from 'zod';

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/** `['channels', 2, 'type']` → `channels[2].type`; odd keys get quoted: `prices["gpt-4.1"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(top level)';
}

/** A short, quoted picture of a value for messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  return 'a mapping';
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  date: 'a date',
};

function bound(kind: 'min' | 'max', origin: string, limit: number | bigint, inclusive: boolean): string {
  const n = Number(limit);
  if (origin === 'string') {
    if (kind === 'min') return n <= 1 ? 'must not be empty' : `must be at least ${n} characters`;
    return `must be at most ${n} characters`;
  }
  if (origin === 'array' || origin === 'set') {
    if (kind === 'min') return n <= 1 ? 'must list at least one item' : `must list at least ${n} items`;
    return `must list at most ${n} items`;
  }
  if (kind === 'min') {
    if (n === 0) return inclusive ? 'must not be negative' : 'must be greater than 0';
    return inclusive ? `must be at least ${n}` : `must be greater than ${n}`;
  }
  return inclusive ? `must be at most ${n}` : `must be less than ${n}`;
}

/** Per-parse error map: pass as `schema.safeParse(data, { error: configErrorMap })`. */
export const configErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`;
    case 'invalid_value':
      if (iss.input === undefined) return 'required';
      if (iss.values.length === 1) return `expected ${String(iss.values[0])}, got ${describeValue(iss.input)}`;
      return `unknown value ${describeValue(iss.input)}; expected one of ${iss.values.map(String).join(', ')}`;
    case 'too_small':
      return bound('min', iss.origin, iss.minimum, iss.inclusive ?? true);
    case 'too_big':
      return bound('max', iss.origin, iss.maximum, iss.inclusive ?? true);
    case 'invalid_format':
      return `invalid value ${describeValue(iss.input)}`;
    case 'unrecognized_keys':
      return iss.keys.map(() => 'unknown field').join('\n');
    default:
      return undefined;
  }
};

/** One problem: where it is (as a path into the config) and what is wrong. */
export interface Problem {
  path: PropertyKey[];
  message: string;
}

export const formatProblem = (p: Problem): string => `${formatPath(p.path)}: ${p.message}`;

/**
 * Zod issues → problems. Unknown keys become one problem per key (the
 * strict-object helper in schema.ts writes one message line per key, with its
 * "did you mean").
 */
export function issuesToProblems(issues: readonly Issue[]): Problem[] {
  const out: Problem[] = [];
  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      const messages = iss.message.split('\n');
      iss.keys.forEach((key, i) => out.push({ path: [...iss.path, key], message: messages[i] ?? 'unknown field' }));
    } else if (iss.code === 'invalid_key') {
      out.push({ path: [...iss.path], message: iss.issues[0]?.message ?? iss.message });
    } else if (iss.code === 'invalid_union') {
      // Report the branch that got furthest: its first issue speaks to the user's intent.
      const branch = [...iss.errors].sort((a, b) => depth(b) - depth(a))[0];
      const inner = branch?.[0];
      if (inner) out.push(...issuesToProblems([{ ...inner, path: [...iss.path, ...inner.path] }]));
      else out.push({ path: [...iss.path], message: iss.message });
    } else {
      out.push({ path: [...iss.path], message: iss.message });
    }
  }
  return out;
}

/** Zod issues → `path: message` lines. */
export function formatIssues(issues: readonly Issue[]): string[] {
  return issuesToProblems(issues).map(formatProblem);
}

function depth(branch: readonly Issue[]): number {
  return Math.max(0, ...branch.map((i) => i.path.length));
}
