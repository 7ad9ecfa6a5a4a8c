// Process settings for `waystation serve` (CONTRACT §2): flags win over
// environment variables, which win over defaults. Every bad value stops start-up
// with a one-line SettingsError naming the flag or variable it came from.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { IMAGE_OUTPUT_MODES, type ImageOutputMode } from '../store/entities.js';
import { closestMatch } from './did-you-mean.js';
import { SettingsError } from './errors.js';
import {
  parseBoolean,
  parseByteSize,
  parseDatabaseUrlSetting,
  parseDurationMs,
  parseOneOf,
  parsePath,
  parsePort,
  parseRedisUrl,
  parseWord,
  parseWorkers,
} from './values.js';

export { SettingsError } from './errors.js';
export { parseByteSize } from './values.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Settings {
  port: number;
  host: string;
  /** Declarative config file; null when none was given and ./waystation.yaml is absent. */
  configPath: string | null;
  databaseUrl: string;
  redisUrl: string | null;
  /** ADMIN_KEY; null = read or generate <dataDir>/admin.key (see secrets.ts). */
  adminKey: string | null;
  /** WAYSTATION_SECRET; null = read or generate <dataDir>/secret.key (see secrets.ts). */
  secret: string | null;
  workers: number;
  dataDir: string;
  shutdownGraceMs: number;
  bodyLimitBytes: number;
  logLevel: LogLevel;
  demo: boolean;
  /** Serve models that have no price (free) instead of refusing them. */
  allowUnpriced: boolean;
  /** Days usage log rows are kept; 0 keeps them forever. */
  logRetentionDays: number;
  /** Largest total of inline (base64) data in one Gemini request. */
  inlineDataLimitBytes: number;
  /** How OpenAI chat answers carry generated images unless a channel says otherwise. */
  imageOutput: ImageOutputMode;
  /** Lifetime of a stored image and its signed URL (`response_format: url`, `url` image output). */
  imageUrlTtlMs: number;
  /** Let image_url fetches reach private and loopback addresses (off: the SSRF guard refuses them). */
  imageFetchAllowPrivate: boolean;
  /** Interval of the scheduled test of auto-disabled channels (once across all nodes); 0 turns it off. */
  channelRetestMs: number;
}

export interface ResolveOptions {
  /** Where ./waystation.yaml is looked for; default process.cwd(). */
  cwd?: string;
  /** Core count behind `--workers auto`; default os.availableParallelism(). */
  cpuCount?: number;
}

type Parser = (raw: string) => unknown;

interface OptionSpec {
  key: keyof Settings;
  flag?: string;
  env?: string;
  parse: Parser;
  /** A flag that takes no value (`--demo`); `--demo=false` still works. */
  boolean?: boolean;
}

const DEFAULT_DATA_DIR = './data';
const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

function optionSpecs(cpuCount: number): OptionSpec[] {
  return [
    { key: 'port', flag: '--port', env: 'PORT', parse: parsePort },
    { key: 'host', flag: '--host', env: 'HOST', parse: parseWord('a host name or IP address') },
    { key: 'configPath', flag: '--config', env: 'WAYSTATION_CONFIG', parse: parsePath },
    { key: 'databaseUrl', flag: '--database', env: 'DATABASE_URL', parse: parseDatabaseUrlSetting },
    { key: 'redisUrl', flag: '--redis', env: 'REDIS_URL', parse: parseRedisUrl },
    { key: 'adminKey', env: 'ADMIN_KEY', parse: parseWord('a key without spaces') },
    { key: 'secret', env: 'WAYSTATION_SECRET', parse: parseWord('a secret without spaces') },
    { key: 'workers', flag: '--workers', env: 'WORKERS', parse: (s) => parseWorkers(s, cpuCount) },
    { key: 'dataDir', flag: '--data-dir', env: 'WAYSTATION_DATA_DIR', parse: parsePath },
    {
      key: 'shutdownGraceMs',
      flag: '--shutdown-grace',
      env: 'WAYSTATION_SHUTDOWN_GRACE_MS',
      parse: parseDurationMs,
    },
    { key: 'bodyLimitBytes', flag: '--body-limit', env: 'WAYSTATION_BODY_LIMIT', parse: parsePositiveByteSize },
    { key: 'logLevel', flag: '--log-level', env: 'LOG_LEVEL', parse: parseOneOf(LOG_LEVELS) },
    { key: 'demo', flag: '--demo', env: 'WAYSTATION_DEMO', parse: parseBoolean, boolean: true },
    { key: 'allowUnpriced', flag: '--allow-unpriced', env: 'WAYSTATION_ALLOW_UNPRICED', parse: parseBoolean, boolean: true },
    { key: 'logRetentionDays', flag: '--log-retention-days', env: 'WAYSTATION_LOG_RETENTION_DAYS', parse: parseDays },
    { key: 'inlineDataLimitBytes', flag: '--inline-data-limit', env: 'WAYSTATION_INLINE_DATA_LIMIT', parse: parsePositiveByteSize },
    { key: 'imageOutput', flag: '--image-output', env: 'WAYSTATION_IMAGE_OUTPUT', parse: parseOneOf(IMAGE_OUTPUT_MODES) },
    { key: 'imageUrlTtlMs', flag: '--image-url-ttl', env: 'WAYSTATION_IMAGE_URL_TTL', parse: parseDurationMs },
    { key: 'imageFetchAllowPrivate', flag: '--image-fetch-allow-private', env: 'WAYSTATION_IMAGE_FETCH_ALLOW_PRIVATE', parse: parseBoolean, boolean: true },
    { key: 'channelRetestMs', flag: '--channel-retest', env: 'WAYSTATION_CHANNEL_RETEST', parse: parseDurationMs },
  ];
}

function parseDays(s: string): number {
  const n = Number(s.trim());
  if (!/^\d+$/.test(s.trim()) || n > 36_500) throw new Error(`expected a whole number of days (0 = keep forever), got ${JSON.stringify(s)}`);
  return n;
}

function parsePositiveByteSize(s: string): number {
  const n = parseByteSize(s);
  if (n < 1) throw new Error(`expected a size above zero, got ${JSON.stringify(s)}`);
  return n;
}

/** `argv` is what follows `serve` (no node, script or command name). */
export function resolveSettings(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  opts: ResolveOptions = {},
): Settings {
  const specs = optionSpecs(opts.cpuCount ?? availableParallelism());
  const flags = parseFlags(argv, specs);
  const found = new Map<keyof Settings, unknown>();

  for (const spec of specs) {
    const fromFlag = spec.flag ? flags.get(spec.flag) : undefined;
    // An empty variable (`PORT=`) counts as unset, as shells and compose files produce them.
    const fromEnv = spec.env && env[spec.env] !== '' ? env[spec.env] : undefined;
    const [raw, label] = fromFlag !== undefined ? [fromFlag, spec.flag!] : [fromEnv, spec.env!];
    if (raw === undefined) continue;
    try {
      found.set(spec.key, spec.parse(raw));
    } catch (err) {
      throw new SettingsError(`${label}: ${(err as Error).message}`);
    }
  }

  const get = <K extends keyof Settings>(key: K, fallback: Settings[K]): Settings[K] =>
    found.has(key) ? (found.get(key) as Settings[K]) : fallback;

  const dataDir = get('dataDir', DEFAULT_DATA_DIR);
  const defaultConfig = './waystation.yaml';
  const defaultConfigExists = existsSync(join(opts.cwd ?? process.cwd(), defaultConfig));
  return {
    port: get('port', 3000),
    host: get('host', '0.0.0.0'),
    configPath: get('configPath', defaultConfigExists ? defaultConfig : null),
    databaseUrl: get('databaseUrl', `sqlite:${dataDir}${dataDir.endsWith('/') ? '' : '/'}waystation.db`),
    redisUrl: get('redisUrl', null),
    adminKey: get('adminKey', null),
    secret: get('secret', null),
    workers: get('workers', 1),
    dataDir,
    shutdownGraceMs: get('shutdownGraceMs', 30_000),
    bodyLimitBytes: get('bodyLimitBytes', DEFAULT_BODY_LIMIT),
    logLevel: get('logLevel', 'info'),
    demo: get('demo', false),
    allowUnpriced: get('allowUnpriced', false),
    logRetentionDays: get('logRetentionDays', 30),
    inlineDataLimitBytes: get('inlineDataLimitBytes', 20 * 1024 * 1024),
    imageOutput: get('imageOutput', 'both'),
    imageUrlTtlMs: get('imageUrlTtlMs', 24 * 3600 * 1000),
    imageFetchAllowPrivate: get('imageFetchAllowPrivate', false),
    channelRetestMs: get('channelRetestMs', 5 * 60 * 1000),
  };
}

/** `--name value` and `--name=value` → Map(flag → raw value); the last occurrence wins. */
function parseFlags(argv: readonly string[], specs: OptionSpec[]): Map<string, string> {
  const byFlag = new Map(specs.filter((s) => s.flag).map((s) => [s.flag!, s]));
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new SettingsError(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = byFlag.get(name);
    if (!spec) {
      const hint = closestMatch(name, [...byFlag.keys()]);
      throw new SettingsError(`${name}: unknown option${hint ? `; did you mean ${hint}?` : ''}`);
    }
    if (eq !== -1) {
      out.set(name, arg.slice(eq + 1));
    } else if (spec.boolean) {
      out.set(name, 'true');
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new SettingsError(`${name}: expected a value`);
      out.set(name, next);
      i++;
    }
  }
  return out;
}
