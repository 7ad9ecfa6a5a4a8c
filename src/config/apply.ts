// Applies a validated config to the database through the repositories,
// idempotently: entries are matched by name (tokens by user + name), created
// when missing, rewritten only when they differ, never duplicated. Nothing is
// deleted: removing an entry from the file leaves its row alone.
//
// Fields written in the file are enforced on every apply. Fields left out get a
// default when the row is created and are then left alone, so changes made via
// the management API survive a restart. `balance_usd` is a starting balance:
// it is set at creation only, since the stored balance is what is left to spend.
import { createHash } from 'node:crypto';
import type { Channel, Group, Price, Token, User } from '../store/entities.js';
import type { ChannelInput, GroupInput, Repositories, TokenInput, UserInput } from '../store/repositories.js';
import { DEFAULT_GROUP } from './cross-check.js';
import { ConfigError } from './errors.js';
import { DEFAULT_BASE_URLS, type WaystationConfig } from './schema.js';

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface CreatedToken {
  name: string;
  /** Owner's user name. */
  user: string;
  key: string;
  /** True when the key was generated (not written in the file). */
  generated: boolean;
}

export interface ApplySummary {
  groups: EntityCounts;
  channels: EntityCounts;
  users: EntityCounts;
  tokens: EntityCounts;
  prices: EntityCounts;
  /** Tokens created by this run, with their plain keys, for `serve` to print once. */
  createdTokens: CreatedToken[];
}

export interface ApplyOptions {
  /** Owner of tokens that name no user. */
  rootUserId: number;
  /** Prefix of error lines; default "config". */
  sourceName?: string;
}

export const usdToMicros = (usd: number): number => Math.round(usd * 1e6);
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export async function applyConfig(
  config: WaystationConfig,
  repos: Repositories,
  opts: ApplyOptions,
): Promise<ApplySummary> {
  const root = await repos.users.get(opts.rootUserId);
  if (!root) throw new Error(`the root admin user (id ${opts.rootUserId}) does not exist`);
  await preflight(config, repos, root, opts.sourceName ?? 'config');

  const groups = await applyGroups(config, repos);
  const prices = await applyPrices(config, repos);
  const channels = await applyChannels(config, repos);
  const users = await applyUsers(config, repos);
  const { tokens, createdTokens } = await applyTokens(config, repos, root);
  return { groups, channels, users, tokens, prices, createdTokens };
}

/**
 * Everything that can only be checked against the database, checked before
 * any write so a bad config changes nothing.
 */
async function preflight(config: WaystationConfig, repos: Repositories, root: User, source: string) {
  const problems: string[] = [];
  const configured = new Set(config.users.map((u) => u.name));

  for (const [i, u] of config.users.entries()) {
    const existing = await repos.users.byName(u.name);
    if (existing && (existing.id === root.id || existing.role === 'root')) {
      problems.push(`users[${i}].name: "${u.name}" is the root admin user, which the config cannot change`);
    }
    if (u.access_key !== undefined) {
      const holder = await repos.users.byAccessKeyHash(sha256(u.access_key));
      if (holder && holder.name !== u.name) {
        problems.push(`users[${i}].access_key: already the access key of user "${holder.name}"`);
      }
    }
  }

  for (const [i, t] of config.tokens.entries()) {
    if (t.user !== undefined && !configured.has(t.user) && !(await repos.users.byName(t.user))) {
      problems.push(`tokens[${i}].user: unknown user "${t.user}"; add it under users or create it first`);
    }
    if (t.key !== undefined) {
      const holder = await repos.tokens.byHash(sha256(t.key));
      const ownerName = t.user ?? root.name;
      const holderOwner = holder ? await repos.users.get(holder.userId) : undefined;
      if (holder && (holder.name !== t.name || holderOwner?.name !== ownerName)) {
        problems.push(`tokens[${i}].key: already the key of token "${holder.name}" of user "${holderOwner?.name ?? holder.userId}"`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
}

async function applyGroups(config: WaystationConfig, repos: Repositories): Promise<EntityCounts> {
  const c = counts();
  const existing = new Map((await repos.groups.list()).map((g) => [g.name, g]));
  const wanted = Object.entries(config.groups);
  // Every user and channel falls back to "default": it must exist.
  if (!config.groups[DEFAULT_GROUP] && !existing.has(DEFAULT_GROUP)) wanted.unshift([DEFAULT_GROUP, { ratio: 1 }]);

  for (const [name, g] of wanted) {
    const old = existing.get(name);
    const input: GroupInput = compact({
      name,
      ratio: g.ratio ?? (old ? undefined : 1),
      description: g.description ?? (old ? undefined : ''),
    });
    await write(c, old, input, () => repos.groups.upsert(input));
  }
  return c;
}

async function applyPrices(config: WaystationConfig, repos: Repositories): Promise<EntityCounts> {
  const c = counts();
  const existing = new Map((await repos.prices.list()).map((p) => [p.model, p]));
  for (const [model, price] of Object.entries(config.prices)) {
    const old: Price | undefined = existing.get(model);
    const changed = !old || old.source !== 'config' || !sameJson(old.price, price);
    if (!old) c.created++;
    else if (changed) c.updated++;
    else c.unchanged++;
    if (changed) await repos.prices.upsert(model, compact(price), 'config');
  }
  return c;
}

async function applyChannels(config: WaystationConfig, repos: Repositories): Promise<EntityCounts> {
  const c = counts();
  const existing = new Map((await repos.channels.list()).map((ch) => [ch.name, ch]));
  for (const ch of config.channels) {
    const old: Channel | undefined = existing.get(ch.name);
    const input: ChannelInput = compact({
      name: ch.name,
      type: ch.type,
      baseUrl: ch.base_url ?? DEFAULT_BASE_URLS[ch.type],
      keys: ch.keys,
      models: ch.models,
      modelMapping: ch.model_mapping ?? (old ? undefined : {}),
      groups: ch.groups ?? (old ? undefined : [DEFAULT_GROUP]),
      priority: ch.priority ?? (old ? undefined : 0),
      weight: ch.weight ?? (old ? undefined : 1),
      status: ch.status ?? (old ? undefined : 'enabled'),
      statusReason: ch.status !== undefined || !old ? null : undefined,
      settings: ch.settings ?? (old ? undefined : {}),
    });
    const keysChanged = old !== undefined && !sameJson(old.keys.map((k) => k.key), ch.keys);
    await write(c, old, input, () => repos.channels.upsertByName(input), keysChanged, ['keys']);
  }
  return c;
}

async function applyUsers(config: WaystationConfig, repos: Repositories): Promise<EntityCounts> {
  const c = counts();
  for (const u of config.users) {
    const old = await repos.users.byName(u.name);
    const input: UserInput = compact({
      name: u.name,
      displayName: u.display_name ?? (old ? undefined : u.name),
      role: u.role ?? (old ? undefined : 'user'),
      group: u.group ?? (old ? undefined : DEFAULT_GROUP),
      // Only at creation: afterwards the stored balance is what is left to spend.
      balanceMicros: old ? undefined : usdToMicros(u.balance_usd ?? 0),
      status: u.status ?? (old ? undefined : 'enabled'),
      limits: u.limits ?? (old ? undefined : {}),
    });
    // A new access key forces a write even when every other field already holds.
    const keyHolder = u.access_key !== undefined ? await repos.users.byAccessKeyHash(sha256(u.access_key)) : undefined;
    const accessKeyChanged = u.access_key !== undefined && (!old || keyHolder?.id !== old.id);
    const saved = await write(c, old, input, () => repos.users.upsertByName(input), accessKeyChanged);
    const user = saved ?? old!;
    if (u.access_key !== undefined && keyHolder?.id !== user.id) await repos.users.setAccessKey(user.id, u.access_key);
  }
  return c;
}

async function applyTokens(
  config: WaystationConfig,
  repos: Repositories,
  root: User,
): Promise<{ tokens: EntityCounts; createdTokens: CreatedToken[] }> {
  const c = counts();
  const createdTokens: CreatedToken[] = [];
  const owners = new Map<string, User>([[root.name, root]]);
  const tokensByOwner = new Map<number, Map<string, Token>>();

  for (const t of config.tokens) {
    const ownerName = t.user ?? root.name;
    let owner = owners.get(ownerName);
    if (!owner) {
      owner = await repos.users.byName(ownerName);
      if (!owner) throw new Error(`user "${ownerName}" vanished while the config was being applied`);
      owners.set(ownerName, owner);
    }
    let existing = tokensByOwner.get(owner.id);
    if (!existing) {
      existing = await listTokens(repos, owner.id);
      tokensByOwner.set(owner.id, existing);
    }
    const old = existing.get(t.name);
    const quota: Partial<TokenInput> =
      t.quota_usd !== undefined
        ? { unlimited: false, quotaMicros: usdToMicros(t.quota_usd) }
        : t.unlimited === true || !old
          ? { unlimited: true }
          : {};
    const input: TokenInput = compact({
      userId: owner.id,
      name: t.name,
      key: t.key,
      ...quota,
      quotaMicros: quota.quotaMicros ?? (old ? undefined : 0),
      status: t.status ?? (old ? undefined : 'enabled'),
      models: t.models ?? (old ? undefined : null),
      allowIps: t.allow_ips ?? (old ? undefined : null),
      group: t.group ?? (old ? undefined : null),
      expiresAt: t.expires_at !== undefined ? t.expires_at : old ? undefined : null,
      limits: t.limits ?? (old ? undefined : {}),
      // null in the file is a choice (unset); left out keeps what the API set.
      imageOutput: t.image_output !== undefined ? t.image_output : old ? undefined : null,
    });
    const keyChanged = old !== undefined && t.key !== undefined && sha256(t.key) !== old.keyHash;
    let plainKey: string | undefined;
    const saved = await write(
      c,
      old,
      input,
      async () => {
        const result = await repos.tokens.upsertByName(input);
        plainKey = result.key;
        return result.token;
      },
      keyChanged,
      ['key', 'userId'],
    );
    if (!old && saved) {
      const key = plainKey ?? t.key ?? (await repos.tokens.revealKey(saved.id));
      createdTokens.push({ name: t.name, user: ownerName, key, generated: t.key === undefined });
      existing.set(t.name, saved);
    }
  }
  return { tokens: c, createdTokens };
}

async function listTokens(repos: Repositories, userId: number): Promise<Map<string, Token>> {
  const out = new Map<string, Token>();
  const limit = 500;
  for (let offset = 0; ; offset += limit) {
    const page = await repos.tokens.list({ userId, offset, limit });
    for (const t of page.items) if (t.userId === userId) out.set(t.name, t);
    if (page.items.length < limit || offset + limit >= page.total) return out;
  }
}

/**
 * Creates, updates or skips one row: skips when every field of `input` already
 * holds (fields named in `ignore` are compared by the caller via `forced`).
 */
async function write<R>(
  c: EntityCounts,
  old: Group | Channel | User | Token | undefined,
  input: object,
  save: () => Promise<R>,
  forced = false,
  ignore: string[] = [],
): Promise<R | undefined> {
  if (!old) {
    c.created++;
    return save();
  }
  const current = old as unknown as Record<string, unknown>;
  const differs =
    forced ||
    Object.entries(input).some(([k, v]) => k !== 'name' && !ignore.includes(k) && !sameJson(current[k], v));
  if (!differs) {
    c.unchanged++;
    return undefined;
  }
  c.updated++;
  return save();
}

function counts(): EntityCounts {
  return { created: 0, updated: 0, unchanged: 0 };
}

/** Drops undefined fields, so a repository that spreads a patch never blanks a column. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Structural equality of JSON-like values, ignoring key order. */
function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}
