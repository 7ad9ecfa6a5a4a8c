// A small in-memory Repositories, faithful to the interface's documented
// semantics (undefined fields keep their value; a channel's `keys` replace the
// list, kept keys keep id and status; tokens are matched by (user, name)).
// It also counts writes, so tests can tell "unchanged" from "rewritten".
import { createHash, randomBytes } from 'node:crypto';
import type { Channel, ChannelKey, Group, Price, Token, User } from '../../src/store/entities.js';
import type { ChannelInput, Repositories, TokenInput, UserInput } from '../../src/store/repositories.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export interface MemoryRepos extends Repositories {
  writes: number;
  /** Plain token keys by token id (what key_enc would decrypt to). */
  tokenKeys: Map<number, string>;
  accessKeys: Map<number, string>;
}

export function createMemoryRepos(): MemoryRepos {
  let nextId = 1;
  let clock = 1_000;
  const now = () => clock++;
  const users = new Map<number, User>();
  const groups = new Map<string, Group>();
  const tokens = new Map<number, Token>();
  const channels = new Map<number, Channel>();
  const prices = new Map<string, Price>();
  const tokenKeys = new Map<number, string>();
  const accessKeys = new Map<number, string>();
  const self = { writes: 0 } as MemoryRepos;
  const wrote = () => void self.writes++;

  const userPatch = (u: User, p: Partial<UserInput>): User => ({
    ...u,
    ...defined({ name: p.name, displayName: p.displayName, role: p.role, group: p.group, balanceMicros: p.balanceMicros, status: p.status }),
    ...(p.limits !== undefined ? { limits: p.limits ?? {} } : {}),
    updatedAt: now(),
  });

  const createUser = async (input: UserInput): Promise<User> => {
    if ([...users.values()].some((u) => u.name === input.name)) throw new Error(`duplicate user ${input.name}`);
    const t = now();
    const user: User = {
      id: nextId++,
      name: input.name,
      displayName: input.displayName ?? input.name,
      role: input.role ?? 'user',
      group: input.group ?? 'default',
      balanceMicros: input.balanceMicros ?? 0,
      usedMicros: 0,
      status: input.status ?? 'enabled',
      limits: input.limits ?? {},
      createdAt: t,
      updatedAt: t,
    };
    users.set(user.id, user);
    wrote();
    return user;
  };
  const byName = async (name: string) => [...users.values()].find((u) => u.name === name);
  const updateUser = async (id: number, patch: Partial<UserInput>) => {
    const u = users.get(id);
    if (!u) throw new Error(`user ${id} not found`);
    const next = userPatch(u, patch);
    users.set(id, next);
    wrote();
    return next;
  };

  self.users = {
    get: async (id) => users.get(id),
    byName,
    byAccessKeyHash: async (hash) => [...users.values()].find((u) => accessKeys.has(u.id) && sha256(accessKeys.get(u.id)!) === hash),
    list: async () => ({ items: [...users.values()], total: users.size }),
    create: createUser,
    update: updateUser,
    upsertByName: async (input) => {
      const old = await byName(input.name);
      return old ? updateUser(old.id, input) : createUser(input);
    },
    setAccessKey: async (id, key) => {
      accessKeys.set(id, key);
      wrote();
    },
    delete: async (id) => void users.delete(id),
  };

  self.groups = {
    list: async () => [...groups.values()],
    byName: async (name) => groups.get(name),
    upsert: async (input) => {
      const old = groups.get(input.name);
      const g: Group = old
        ? { ...old, ...defined({ ratio: input.ratio, description: input.description }) }
        : { id: nextId++, name: input.name, ratio: input.ratio ?? 1, description: input.description ?? '' };
      groups.set(g.name, g);
      wrote();
      return g;
    },
    delete: async (name) => void groups.delete(name),
  };

  const tokenPatch = (t: Token, p: Partial<TokenInput>): Token => ({
    ...t,
    ...defined({
      status: p.status,
      unlimited: p.unlimited,
      quotaMicros: p.quotaMicros,
      models: p.models,
      allowIps: p.allowIps,
      group: p.group,
      expiresAt: p.expiresAt,
      imageOutput: p.imageOutput,
    }),
    ...(p.limits !== undefined ? { limits: p.limits ?? {} } : {}),
    updatedAt: now(),
  });
  const setKey = (t: Token, key: string): Token => {
    tokenKeys.set(t.id, key);
    return { ...t, keyHash: sha256(key), keyMask: `${key.slice(0, 7)}…${key.slice(-4)}` };
  };
  const createToken = async (input: TokenInput) => {
    const key = input.key ?? `sk-${randomBytes(24).toString('hex')}`;
    const t = now();
    const base: Token = {
      id: nextId++,
      userId: input.userId,
      name: input.name,
      keyHash: '',
      keyMask: '',
      status: 'enabled',
      unlimited: false,
      quotaMicros: 0,
      usedMicros: 0,
      models: null,
      allowIps: null,
      group: null,
      expiresAt: null,
      limits: {},
      imageOutput: null,
      createdAt: t,
      updatedAt: t,
    };
    const token = setKey(tokenPatch(base, input), key);
    tokens.set(token.id, token);
    wrote();
    return { token, key };
  };

  self.tokens = {
    get: async (id) => tokens.get(id),
    byHash: async (hash) => [...tokens.values()].find((t) => t.keyHash === hash),
    list: async (opts = {}) => {
      const all = [...tokens.values()].filter((t) => opts.userId === undefined || t.userId === opts.userId);
      const offset = opts.offset ?? 0;
      return { items: all.slice(offset, offset + (opts.limit ?? 20)), total: all.length };
    },
    create: createToken,
    update: async (id, patch) => {
      const next = tokenPatch(tokens.get(id)!, patch);
      tokens.set(id, next);
      wrote();
      return next;
    },
    upsertByName: async (input) => {
      const old = [...tokens.values()].find((t) => t.userId === input.userId && t.name === input.name);
      if (!old) return createToken(input);
      let next = tokenPatch(old, input);
      if (input.key !== undefined) next = setKey(next, input.key);
      tokens.set(old.id, next);
      wrote();
      return { token: next, key: input.key };
    },
    revealKey: async (id) => tokenKeys.get(id)!,
    delete: async (id) => void tokens.delete(id),
  };

  const syncKeys = (old: ChannelKey[], keys: string[]): ChannelKey[] =>
    [...new Set(keys)].map(
      (key) => old.find((k) => k.key === key) ?? { id: nextId++, key, keyHash: sha256(key), status: 'enabled', statusReason: null },
    );
  const channelPatch = (c: Channel, p: Partial<ChannelInput>): Channel => ({
    ...c,
    ...defined({
      name: p.name,
      type: p.type,
      baseUrl: p.baseUrl,
      models: p.models,
      modelMapping: p.modelMapping,
      groups: p.groups,
      priority: p.priority,
      weight: p.weight,
      status: p.status,
      statusReason: p.statusReason,
      settings: p.settings,
    }),
    keys: p.keys ? syncKeys(c.keys, p.keys) : c.keys,
    updatedAt: now(),
  });
  const createChannel = async (input: ChannelInput) => {
    const t = now();
    const base: Channel = {
      id: nextId++,
      name: input.name,
      type: input.type,
      baseUrl: input.baseUrl,
      models: [],
      modelMapping: {},
      groups: ['default'],
      priority: 0,
      weight: 1,
      status: 'enabled',
      statusReason: null,
      settings: {},
      keys: [],
      createdAt: t,
      updatedAt: t,
    };
    const ch = channelPatch(base, input);
    channels.set(ch.id, ch);
    wrote();
    return ch;
  };
  const updateChannel = async (id: number, patch: Partial<ChannelInput>) => {
    const next = channelPatch(channels.get(id)!, patch);
    channels.set(id, next);
    wrote();
    return next;
  };

  self.channels = {
    get: async (id) => channels.get(id),
    list: async () => [...channels.values()],
    create: createChannel,
    update: updateChannel,
    upsertByName: async (input) => {
      const old = [...channels.values()].find((c) => c.name === input.name);
      return old ? updateChannel(old.id, input) : createChannel(input);
    },
    setStatus: async (id, status, reason) => void (await updateChannel(id, { status, statusReason: reason })),
    setKeyStatus: async () => {},
    delete: async (id) => void channels.delete(id),
  };

  self.prices = {
    list: async () => [...prices.values()],
    get: async (model) => prices.get(model),
    upsert: async (model, price, source) => {
      const p: Price = { model, price: structuredClone(price), source };
      prices.set(model, p);
      wrote();
      return p;
    },
    delete: async (model) => void prices.delete(model),
  };

  self.usageLogs = {
    insertMany: async () => {},
    query: async () => ({ items: [], total: 0 }),
    pruneBefore: async () => 0,
    daily: async () => [],
    pruneDailyBefore: async () => 0,
  };
  self.tokenKeys = tokenKeys;
  self.accessKeys = accessKeys;
  return self;
}
