// Reading the declarative config: YAML text → interpolated tree → validated,
// normalised WaystationConfig. Every failure is a ConfigError listing all the
// problems found at that stage, one per line, each naming where it is.
import { readFileSync } from 'node:fs';
import { isNode, parseDocument, type Document } from 'yaml';
import { crossCheck } from './cross-check.js';
import { ConfigError } from './errors.js';
import { interpolateDocument } from './interpolate.js';
import { configSchema, type WaystationConfig } from './schema.js';
import { configErrorMap, formatProblem, issuesToProblems, type Problem } from './zod-messages.js';

export { ConfigError } from './errors.js';
export type { WaystationConfig } from './schema.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Cascading parse errors after the first few only add noise. */
const MAX_SYNTAX_ERRORS = 3;

export function loadConfigFile(path: string, env: Env): WaystationConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason =
      e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory, not a file' : e.message;
    throw new ConfigError(path, [`cannot read the config file: ${reason}`]);
  }
  return parseConfigText(text, env, path);
}

export function parseConfigText(text: string, env: Env, sourceName = 'config'): WaystationConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    throw new ConfigError(sourceName, doc.errors.slice(0, MAX_SYNTAX_ERRORS).map(describeYamlError));
  }

  const interpolationProblems = interpolateDocument(doc, env);
  if (interpolationProblems.length > 0) throw new ConfigError(sourceName, interpolationProblems);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // e.g. an alias bomb, or an alias to an anchor defined later.
    throw new ConfigError(sourceName, [(err as Error).message]);
  }
  return validateConfig(raw ?? {}, sourceName, (path) => offsetOf(doc, path));
}

/**
 * Validates an already-parsed config value (from YAML, JSON or code).
 * `offsetOf` (a path's position in the source) lists problems in file order.
 */
export function validateConfig(
  raw: unknown,
  sourceName = 'config',
  offsetOf?: (path: PropertyKey[]) => number,
): WaystationConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(sourceName, [
      '(top level): expected a mapping with groups, channels, users, tokens and prices',
    ]);
  }
  const fail = (problems: Problem[]): never => {
    const ordered = offsetOf ? sortStable(problems, (p) => offsetOf(p.path)) : problems;
    throw new ConfigError(sourceName, ordered.map(formatProblem));
  };
  const parsed = configSchema.safeParse(raw, { error: configErrorMap, reportInput: true });
  if (!parsed.success) return fail(issuesToProblems(parsed.error.issues));
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) return fail(problems);
  return parsed.data;
}

/** Source offset of the node at `path`, or of its nearest ancestor that exists (for missing fields). */
function offsetOf(doc: Document, path: PropertyKey[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return Number.MAX_SAFE_INTEGER;
}

function sortStable<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.item);
}

/** "Map keys must be unique at line 2, column 1:\n\n<excerpt>" → "line 2, column 1: Map keys must be unique". */
function describeYamlError(err: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const first = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const pos = err.linePos?.[0];
  return pos ? `line ${pos.line}, column ${pos.col}: ${first}` : first;
}
