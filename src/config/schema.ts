// The declarative config file (CONTRACT §3) as a zod schema. Objects are strict
// so a typo (`priorty`) is an error rather than a silently ignored field. The
// output is normalised: lists and maps are always present, `key` is folded into
// `keys`, and `expires_at` is epoch milliseconds.
import { isIP } from 'node:net';
import * as z from 'zod';
import { modelPriceShape } from '../billing/price-shape.js';
import { IMAGE_OUTPUT_MODES } from '../store/entities.js';
import { breakerSettingsProblems } from '../routing/breaker-settings.js';
import { MAX_TIMEOUT_MS, proxyUrlProblem } from '../routing/upstream-settings.js';
import { closestMatch } from './did-you-mean.js';
import { describeValue } from './zod-messages.js';

// One list of channel types: the ones a provider exists for.
import { CHANNEL_TYPES } from '../providers/registry.js';
import { vertexChannelProblems } from '../providers/vertex-check.js';
export { CHANNEL_TYPES };
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Used when a channel leaves out `base_url`; empty = the provider's own default. */
export const DEFAULT_BASE_URLS: Record<ChannelType, string> = {
  gemini: 'https://generativelanguage.googleapis.com',
  vertex: '', // the host follows settings.location (src/providers/vertex.ts)
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  'openai-compatible': '',
  simulator: '',
};

/** A strict object whose unknown-key message names each key, with a "did you mean". */
function strict<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      return iss.keys
        .map((key) => {
          const hint = closestMatch(key, known);
          return hint ? `unknown field; did you mean "${hint}"?` : `unknown field; expected one of ${known.join(', ')}`;
        })
        .join('\n');
    },
  });
}

/** A string that passes `test`, else the message `what` with the value shown. */
function checked(test: (s: string) => string | undefined) {
  return z.string().superRefine((s, ctx) => {
    const problem = test(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const word = (what: string, max = 128) =>
  checked((s) => {
    if (s.length === 0) return 'must not be empty';
    if (s.length > max) return `must be at most ${max} characters`;
    if (/[\s\x00-\x1f]/.test(s)) return `${what} must not contain spaces, got ${describeValue(s)}`;
    return undefined;
  });

const groupName = checked((s) =>
  /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s)
    ? undefined
    : `group names use letters, digits, "_", "-" and "." (up to 64), got ${describeValue(s)}`,
);
const modelName = word('a model name');
const userName = word('a user name', 64);
const displayName = z.string().max(128);
const nonEmpty = checked((s) => (s.trim().length === 0 ? 'must not be empty' : undefined));
const status = z.enum(['enabled', 'disabled']);

/** USD amounts; capped so micro-dollars stay safe integers. */
const usd = z.number().min(0).max(1e9);

const httpUrl = checked((s) => {
  try {
    const u = new URL(s);
    if (u.protocol === 'http:' || u.protocol === 'https:') return undefined;
  } catch {
    // fall through
  }
  return `expected an http:// or https:// URL, got ${describeValue(s)}`;
});

export function isIpOrCidr(s: string): boolean {
  const [addr, prefix, extra] = s.split('/');
  if (extra !== undefined || !addr) return false;
  const version = isIP(addr);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

const ipOrCidr = checked((s) =>
  isIpOrCidr(s) ? undefined : `not an IP address or CIDR range: ${describeValue(s)}`,
);

const tokenKey = checked((s) => {
  if (!s.startsWith('sk-')) return `must start with "sk-", got ${describeValue(s)}`;
  if (s.length < 16) return 'must be at least 16 characters';
  if (!/^[\x21-\x7e]+$/.test(s)) return 'must not contain spaces or non-ASCII characters';
  return undefined;
});

const accessKey = checked((s) => {
  if (s.length < 16) return 'must be at least 16 characters';
  if (!/^[\x21-\x7e]+$/.test(s)) return 'must not contain spaces or non-ASCII characters';
  return undefined;
});

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * ISO date or date-time → epoch ms; null = never expires. YAML 1.1 documents
 * may hand us a Date already. A time without a zone is read as UTC.
 */
const expiresAt = z.unknown().transform((v, ctx): number | null | undefined => {
  if (v === undefined || v === null) return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
  if (typeof v === 'string' && ISO_DATE_TIME.test(v.trim())) {
    const text = v.trim();
    const hasZone = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
    const ms = Date.parse(hasZone || text.length === 10 ? text : `${text}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  ctx.addIssue({
    code: 'custom',
    message: `expected an ISO date-time such as 2027-01-01T00:00:00Z, got ${describeValue(v)}`,
  });
  return z.NEVER;
});

/** YAML writes an empty section (`channels:`) as null; treat it as empty. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
const map = <K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V) =>
  z
    .record(key, value)
    .nullish()
    .transform((v) => (v ?? {}) as Record<string, z.output<V>>);

const groupSchema = strict({
  ratio: z.number().min(0).max(1000).optional(),
  description: z.string().max(500).optional(),
})
  .nullable()
  .transform((g) => g ?? {});

/** A channel wait in whole milliseconds. */
const waitMs = z.number().int().min(1).max(MAX_TIMEOUT_MS);

/** Known channel settings are typed; anything else passes through for providers to read. */
const channelSettings = z.looseObject({
  param_override: z.record(z.string(), z.unknown()).optional(),
  header_override: z.record(z.string(), z.string()).optional(),
  /** http://, https:// or socks5:// (user:pass@ for proxy auth); messages never show the password. */
  proxy: z
    .unknown()
    .superRefine((v, ctx) => {
      const problem = proxyUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((v) => v as string)
    .optional(),
  test_model: modelName.optional(),
  /** How OpenAI chat answers carry this channel's generated images (a token's own setting wins). */
  image_output: z.enum(IMAGE_OUTPUT_MODES).optional(),
  key_rotation: z.enum(['round_robin', 'random']).optional(),
  /** Circuit-breaker thresholds, or false for none (src/routing/breaker-settings.ts). */
  breaker: z
    .unknown()
    .superRefine((v, ctx) => {
      for (const message of breakerSettingsProblems(v)) ctx.addIssue({ code: 'custom', message });
    })
    .optional(),
  /** An upstream status → the status routing and the client see, e.g. {"404": 500}. */
  status_code_mapping: z.record(z.string().regex(/^[1-5]\d\d$/, 'expected a status code such as "404"'), z.union([z.number().int().min(100).max(599), z.string().regex(/^[1-5]\d\d$/)])).optional(),
  /** Upstream waits for this channel: connecting, until the response headers, between body chunks, the whole request. */
  timeouts: strict({
    connect_ms: waitMs.optional(),
    first_byte_ms: waitMs.optional(),
    idle_ms: waitMs.optional(),
    total_ms: waitMs.optional(),
  }).optional(),
});

const channelSchema = strict({
  name: word('a channel name', 100),
  type: z.enum(CHANNEL_TYPES, {
    error: (iss) =>
      iss.input === undefined
        ? undefined
        : `unknown type ${describeValue(iss.input)}; expected one of ${CHANNEL_TYPES.join(', ')}`,
  }),
  base_url: httpUrl.optional(),
  key: nonEmpty.optional(),
  keys: z.array(nonEmpty).optional(),
  models: z.array(modelName).min(1, { error: 'list at least one model' }),
  model_mapping: z.record(modelName, modelName).optional(),
  groups: z.array(groupName).min(1, { error: 'list at least one group (or leave groups out for default)' }).optional(),
  priority: z.int().min(-1_000_000).max(1_000_000).optional(),
  weight: z.int().min(0).max(1_000_000).optional(),
  status: status.optional(),
  settings: channelSettings.optional(),
})
  .superRefine((c, ctx) => {
    if (c.key !== undefined && c.keys !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'set either key or keys, not both' });
    }
    const count = c.keys?.length ?? (c.key !== undefined ? 1 : 0);
    if (count === 0 && c.type !== 'simulator') {
      ctx.addIssue({ code: 'custom', path: ['keys'], message: `a channel of type ${c.type} needs at least one key` });
    }
    if (c.base_url === undefined && DEFAULT_BASE_URLS[c.type] === '' && c.type !== 'simulator' && c.type !== 'vertex') {
      ctx.addIssue({ code: 'custom', path: ['base_url'], message: `required for a channel of type ${c.type}` });
    }
    if (c.type === 'vertex') {
      const keys = c.keys ?? (c.key !== undefined ? [c.key] : []);
      for (const p of vertexChannelProblems(keys, c.settings)) {
        ctx.addIssue({ code: 'custom', path: c.key !== undefined && p.path[0] === 'keys' ? ['key'] : p.path, message: p.message });
      }
    }
  })
  .transform(({ key, keys, ...rest }) => ({ ...rest, keys: keys ?? (key !== undefined ? [key] : []) }));

/** Per-minute and in-flight limits; a missing field is no limit. */
const limitsSchema = strict({
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  concurrency: z.number().int().positive().optional(),
});

const userSchema = strict({
  name: userName,
  display_name: displayName.optional(),
  role: z.enum(['admin', 'user']).optional(),
  group: groupName.optional(),
  balance_usd: usd.optional(),
  status: status.optional(),
  access_key: accessKey.optional(),
  limits: limitsSchema.optional(),
});

const tokenSchema = strict({
  name: word('a token name', 64),
  user: userName.optional(),
  key: tokenKey.optional(),
  quota_usd: usd.optional(),
  unlimited: z.boolean().optional(),
  models: z.array(modelName).min(1, { error: 'list at least one model, or leave models out to allow all' }).optional(),
  allow_ips: z.array(ipOrCidr).min(1, { error: 'list at least one address, or leave allow_ips out to allow any' }).optional(),
  expires_at: expiresAt.optional(),
  group: groupName.optional(),
  status: status.optional(),
  limits: limitsSchema.optional(),
  /** How OpenAI chat answers carry generated images; null = the channel's or gateway's choice. */
  image_output: z.enum(IMAGE_OUTPUT_MODES).nullable().optional(),
}).superRefine((t, ctx) => {
  if (t.unlimited === true && t.quota_usd !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['unlimited'], message: 'set either quota_usd or unlimited: true, not both' });
  }
  if (t.unlimited === false && t.quota_usd === undefined) {
    ctx.addIssue({ code: 'custom', path: ['quota_usd'], message: 'required when unlimited is false' });
  }
});

const priceSchema = strict(modelPriceShape(usd, nonEmpty, strict)).refine((p) => Object.keys(p).length > 0, { error: 'set at least one price' });

export const configSchema = strict({
  groups: map(groupName, groupSchema),
  channels: list(channelSchema),
  users: list(userSchema),
  tokens: list(tokenSchema),
  prices: map(modelName, priceSchema),
});

export type WaystationConfig = z.output<typeof configSchema>;
export type GroupConfig = WaystationConfig['groups'][string];
export type ChannelConfig = WaystationConfig['channels'][number];
export type UserConfig = WaystationConfig['users'][number];
export type TokenConfig = WaystationConfig['tokens'][number];
export type PriceConfig = WaystationConfig['prices'][string];
