// Parses DATABASE_URL into a backend kind plus what its driver needs, and
// redacts passwords so a URL can go into a log line or an error message.

export type DatabaseKind = 'sqlite' | 'postgres' | 'mysql';

export type ParsedDatabaseUrl =
  | { kind: 'sqlite'; /** file path or ":memory:" */ file: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'mysql'; url: string };

export const ACCEPTED_SCHEMES =
  'sqlite:<path> | sqlite::memory: | postgres:// | postgresql:// | mysql:// | mariadb://';

export function parseDatabaseUrl(raw: string): ParsedDatabaseUrl {
  const url = raw.trim();
  if (url === '') throw new Error(`empty database URL (accepted: ${ACCEPTED_SCHEMES})`);
  const lower = url.toLowerCase();
  if (lower.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    // sqlite:///abs/path and sqlite://./rel both mean the path after "//".
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '') throw new Error(`database URL "${url}" names no file (e.g. sqlite:./data/waystation.db or sqlite::memory:)`);
    return { kind: 'sqlite', file };
  }
  if (lower.startsWith('postgres://') || lower.startsWith('postgresql://')) {
    checkParses(url);
    return { kind: 'postgres', url };
  }
  if (lower.startsWith('mysql://') || lower.startsWith('mariadb://')) {
    const normal = 'mysql://' + url.slice(url.indexOf('://') + 3);
    checkParses(normal);
    return { kind: 'mysql', url: normal };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  const what = scheme ? `unsupported database scheme "${scheme}:"` : `unsupported database URL "${redactUrl(url)}"`;
  throw new Error(`${what}; accepted: ${ACCEPTED_SCHEMES}`);
}

function checkParses(url: string): void {
  try {
    new URL(url);
  } catch {
    throw new Error(`malformed database URL: ${redactUrl(url)}`);
  }
}

/** The URL with any password (user:pass@ or ?password=) replaced by "***". */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}
